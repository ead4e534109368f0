// Runs a bulk action and follows it: the report at once for a small one, progress polled for a large one; when it
// is done, the Finder's pages are fetched again (the server's cache already went stale with the write).
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { bulkKeys, bulkQueries, startBulk, undoBulk, type BulkJob, type BulkRequest } from '../api/bulk';
import { interactionKeys } from '../api/interactions';
import { announce } from '../shortcuts/announce';
import { useSite } from '../session/SiteContext';
import { records } from './selection';

/** What the report says when the job is done, for screen readers as for everyone. */
export function summary(job: BulkJob): string {
  const verb = job.action === 'delete' ? 'Deleted' : job.action === 'undo' ? 'Restored' : 'Changed';
  const parts = [`${verb} ${records(job.changed)}.`];
  if (job.unchanged) parts.push(`${records(job.unchanged)} already as asked.`);
  if (job.conflicts) parts.push(`Left alone ${records(job.conflicts)} that someone else changed since the selection.`);
  if (job.failed) parts.push(`${records(job.failed)} could not be changed; try again.`);
  return parts.join(' ');
}

export function useBulkAction() {
  const { site } = useSite();
  const client = useQueryClient();
  const [jobId, setJobId] = useState<number | null>(null);
  const job = useQuery({ ...bulkQueries.job(site.id, jobId ?? 0), enabled: jobId !== null });
  const report = jobId === null ? undefined : job.data;
  const started = (answer: BulkJob) => {
    client.setQueryData(bulkKeys.job(site.id, answer.id), answer);
    setJobId(answer.id);
  };
  const start = useMutation({ mutationFn: (request: BulkRequest) => startBulk(request), onSuccess: started });
  const undo = useMutation({ mutationFn: (id: number) => undoBulk(id), onSuccess: started });
  const finished = report && report.status !== 'running' ? report : undefined;

  useEffect(() => {
    if (!finished) return;
    void client.invalidateQueries({ queryKey: interactionKeys.all(site.id) });
    announce(summary(finished));
  }, [finished, client, site.id]);

  return {
    report,
    running: start.isPending || undo.isPending || report?.status === 'running',
    error: start.error ?? undo.error,
    start: start.mutateAsync,
    undo: (id: number) => undo.mutate(id),
    dismiss: () => {
      setJobId(null);
      start.reset();
      undo.reset();
    },
  };
}

export type BulkAction = ReturnType<typeof useBulkAction>;
