// The views menu's state: the site's views, the one open now (kept per tab and site), whether the Finder still shows
// it, and the changes. The Finder's state is read from and written to the URL; columns and zone through `applyExtras`.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router-dom';
import {
  clearDefaultView,
  createView,
  deleteView,
  makeDefaultView,
  updateView,
  viewKeys,
  viewQueries,
  type SavedView,
  type ViewChanges,
} from '../../api/views';
import { useToast } from '../../components/Toaster';
import { useSite } from '../../session/SiteContext';
import { finderCatalogue } from './catalogue';
import { currentParams, openView, sameView, VIEW_PARAM, type OpenedView, type ViewExtras } from './viewParams';

const FINDER = '/interactions';
const activeKey = (siteId: number) => `ims.finder.view.${siteId}`;
const loadActive = (siteId: number) => Number(sessionStorage.getItem(activeKey(siteId))) || null;

export type ApplyExtras = (opened: Pick<OpenedView, 'columns' | 'zone'>) => void;

export function useSavedViews(extras: ViewExtras, applyExtras: ApplyExtras) {
  const { site } = useSite();
  const queryClient = useQueryClient();
  const toast = useToast();
  const navigate = useNavigate();
  const [searchParams] = useSearchParams();
  const list = useQuery(viewQueries.list(site.id));
  const [active, setActiveState] = useState(() => ({ siteId: site.id, id: loadActive(site.id) }));
  const [dropped, setDropped] = useState<string[]>([]);
  // Arriving with no query at all: the person's default view opens, once.
  const arrivedBare = useRef(searchParams.toString() === '');

  const activeId = active.siteId === site.id ? active.id : loadActive(site.id);
  const setActive = useCallback(
    (id: number | null) => {
      if (id === null) sessionStorage.removeItem(activeKey(site.id));
      else sessionStorage.setItem(activeKey(site.id), String(id));
      setActiveState({ siteId: site.id, id });
    },
    [site.id],
  );

  const open = useCallback(
    (view: SavedView, replace = false) => {
      const opened = openView(view.params, finderCatalogue);
      applyExtras(opened);
      navigate({ pathname: FINDER, search: opened.search.toString() }, { replace });
      setActive(view.id);
      setDropped(opened.dropped);
    },
    [applyExtras, navigate, setActive],
  );

  const linked = searchParams.get(VIEW_PARAM);
  useEffect(() => {
    if (linked === null) return;
    arrivedBare.current = false;
    const id = Number(linked);
    let cancelled = false;
    queryClient
      .fetchQuery(viewQueries.detail(site.id, Number.isSafeInteger(id) && id > 0 ? id : 0))
      .then((view) => !cancelled && open(view, true))
      .catch(() => {
        if (cancelled) return;
        setDropped(['This view does not exist in this site, or it is not shared with you.']);
        navigate({ pathname: FINDER }, { replace: true });
      });
    return () => {
      cancelled = true;
    };
  }, [linked, site.id, queryClient, open, navigate]);

  // Still no query when the list arrives (the person may have started searching meanwhile), and still here.
  const bare = searchParams.toString() === '';
  const stillBare = useRef(bare);
  useEffect(() => {
    stillBare.current = bare;
    return () => {
      stillBare.current = false;
    };
  }, [bare]);
  useEffect(() => {
    if (!arrivedBare.current) return;
    arrivedBare.current = false;
    queryClient
      .fetchQuery(viewQueries.list(site.id))
      .then((all) => {
        const preferred = all.find((v) => v.is_default);
        if (preferred && stillBare.current) open(preferred, true);
      })
      .catch(() => undefined); // the menu says the views could not be loaded
  }, [queryClient, site.id, open]);

  const views = list.data ?? [];
  const activeView = views.find((v) => v.id === activeId) ?? null;
  const current = currentParams(searchParams, extras);
  const modified = activeView !== null && !sameView(openView(activeView.params, finderCatalogue).kept, current, finderCatalogue);

  const refresh = () => queryClient.invalidateQueries({ queryKey: viewKeys.all(site.id) });
  const saveAs = useMutation({
    mutationFn: (input: { name: string; shared: boolean; makeDefault: boolean }) =>
      createView({ name: input.name, shared: input.shared, params: current, default: input.makeDefault }),
    onSuccess: (view) => {
      setActive(view.id);
      setDropped([]);
      toast(`View “${view.name}” saved`);
      return refresh();
    },
  });
  const change = useMutation({
    mutationFn: ({ view, changes }: { view: SavedView; changes: ViewChanges }) => updateView(view.id, changes),
    onSuccess: (view) => {
      toast(`View “${view.name}” saved`);
      return refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (view: SavedView) => deleteView(view.id),
    onSuccess: (_nothing, view) => {
      if (view.id === activeId) setActive(null);
      toast(`View “${view.name}” deleted`);
      return refresh();
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const toggleDefault = useMutation({
    mutationFn: async (view: SavedView) => {
      if (view.is_default) await clearDefaultView();
      else await makeDefaultView(view.id);
    },
    onSuccess: (_result, view) => {
      toast(view.is_default ? 'The Finder opens without a view' : `The Finder opens with “${view.name}”`);
      return refresh();
    },
    onError: (error) => toast(error.message, 'error'),
  });

  return {
    views,
    loading: list.isPending,
    failed: list.isError,
    activeView,
    modified,
    dropped,
    dismissDropped: () => setDropped([]),
    open,
    reset: () => activeView && open(activeView),
    save: () =>
      activeView && change.mutate({ view: activeView, changes: { params: current } }, { onError: (e) => toast(e.message, 'error') }),
    saveAs,
    change,
    remove,
    toggleDefault,
  };
}

export type SavedViewsControls = ReturnType<typeof useSavedViews>;
