// CSV export of the current query: fetched with the auth header, then saved as a file.
import { useState } from 'react';
import { exportInteractions } from '../api/interactions';
import { describeError } from '../api/client';
import { useToast } from '../components/Toaster';
import { toFilterParams, type FinderQuery } from './queryState';

export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = filename;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  // Give the browser a moment to start the download before the URL goes away.
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

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
