// Pages downloaded on their first visit, so the first screen does not wait for the whole app.
import { lazy, Suspense, type ComponentType } from 'react';
import { FullPageLoading } from './Spinner';

/** `lazyPage(() => import('./AccountPage'), 'AccountPage')`: the named page, behind the loading spinner. */
export function lazyPage<Name extends string>(load: () => Promise<Record<Name, ComponentType>>, name: Name) {
  const Page = lazy(() => load().then((module): { default: ComponentType } => ({ default: module[name] })));
  return function LazyPage() {
    return (
      <Suspense fallback={<FullPageLoading />}>
        <Page />
      </Suspense>
    );
  };
}
