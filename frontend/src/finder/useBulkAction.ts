// Runs a bulk action and follows it: the report at once for a small one, progress polled for a large one; when it
// is done, or stopped half-way, the Finder's pages are fetched again (the server's cache already went stale with the
// write). A stopped one can be resumed, and is then followed again.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { bulkKeys, bulkQueries, resumeBulk, startBulk, undoBulk, type BulkJob, type BulkRequest } from '../api/bulk';
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

/** Whether the job ended before it reached every record: its process ended (stalled), or it failed. */
export const stopped = (job: BulkJob) => job.status === 'failed' || (job.status === 'running' && job.stalled);

export function stoppedMessage(job: BulkJob): string {
  const done = `${job.processed.toLocaleString('en')} of ${job.total.toLocaleString('en')} records done`;
  return `This action stopped before it finished: ${done}.`;
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
  const resume = useMutation({
    mutationFn: (id: number) => resumeBulk(id),
    onSuccess: (answer) => {
      started(answer);
      if (answer.status === 'running') announce('Resumed: following its progress.'); // its end says the rest
    },
    // refused (someone else resumed it meanwhile, or it ended): show the job as it is now
    onError: (_error, id) => void client.invalidateQueries({ queryKey: bulkKeys.job(site.id, id) }),
  });
  const settled = report && (report.status !== 'running' || report.stalled) ? report : undefined;

  useEffect(() => {
    if (!settled) return;
    void client.invalidateQueries({ queryKey: interactionKeys.all(site.id) });
    announce(stopped(settled) ? `${stoppedMessage(settled)} ${summary(settled)}` : summary(settled));
  }, [settled, client, site.id]);

  return {
    report,
    running: start.isPending || undo.isPending || resume.isPending || (report?.status === 'running' && !report.stalled),
    resuming: resume.isPending,
    /** Why the server refused the report's Undo or Resume (shown in the report; a refused start is a toast). */
    refusal: undo.error ?? resume.error,
    start: start.mutateAsync,
    undo: (id: number) => undo.mutate(id),
    resume: (id: number) => resume.mutate(id),
    dismiss: () => {
      setJobId(null);
      start.reset();
      undo.reset();
      resume.reset();
    },
  };
}

export type BulkAction = ReturnType<typeof useBulkAction>;
