// One shape for every admin action: call, toast the outcome, refresh what it changed.
import { useMutation, useQueryClient, type QueryKey } from '@tanstack/react-query';
import { describeError } from '../api/client';
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
