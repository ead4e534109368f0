// One shape for every admin action: call, toast the outcome, refresh what it changed.
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { describeError, isApiError } from '../api/client';
import { useToast } from '../components/Toaster';

export function useAdminMutation<V, R>(fn: (vars: V) => Promise<R>, refresh: QueryKey, success: (vars: V, result: R) => string) {
  const qc = useQueryClient();
  const toast = useToast();
  return useMutation({
    mutationFn: fn,
    onSuccess: (result, vars) => toast(success(vars, result)),
    onError: (error) => toast(describeError(error), 'error'),
    onSettled: () => qc.invalidateQueries({ queryKey: refresh }),
  });
}

/** What a failed admin form says next to its one field: the API's error for that field, else its message. */
export function fieldMessage(error: unknown, field: string): string {
  if (!isApiError(error)) return describeError(error);
  return error.fieldErrors[field]?.join(' ') ?? error.message;
}
