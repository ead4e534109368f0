// CSV export of the current query: fetched with the auth header, then saved as a file.
import { useState } from 'react';
import { exportInteractions } from '../api/interactions';
import { describeError } from '../api/client';
import { useToast } from '../components/Toaster';
import { saveBlob } from '../lib/saveBlob';
import { toFilterParams, type FinderQuery } from '../criteria/queryState';

export function useExport(query: FinderQuery) {
  const toast = useToast();
  const [exporting, setExporting] = useState(false);
  const run = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await exportInteractions(toFilterParams(query));
      saveBlob(blob, filename);
      toast(`Exported ${filename}`);
    } catch (error) {
      toast(`Export failed: ${describeError(error)}`, 'error');
    } finally {
      setExporting(false);
    }
  };
  return { exporting, run };
}
