// One shape for every admin action: call, toast the outcome, refresh what it changed.
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { adminKeys } from '../api/admin';
import { describeError, isApiError } from '../api/client';
import { useToast } from '../components/Toaster';
import { useSite } from '../session/SiteContext';

/**
 * Every admin action changes the site's administration lists (members, invitations, the audit log that records
 * it): all of them are refreshed, and `alsoChanges` (e.g. the interactions a restore brings back).
 */
export function useAdminMutation<V, R>(fn: (vars: V) => Promise<R>, success: (vars: V, result: R) => string, alsoChanges?: QueryKey) {
  const qc = useQueryClient();
  const toast = useToast();
  const { site } = useSite();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => toast(success(vars, result)),
    onError: (error) => toast(describeError(error), 'error'),
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: adminKeys.all(site.id) }),
        alsoChanges && qc.invalidateQueries({ queryKey: alsoChanges }),
      ]),
  });
}

/** What a failed admin form says next to its one field: the API's error for that field, else its message. */
export function fieldMessage(error: unknown, field: string): string {
  if (!isApiError(error)) return describeError(error);
  return error.fieldErrors[field]?.join(' ') ?? error.message;
}
