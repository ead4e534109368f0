// What a saved view holds and how it is put back. A view is the Finder's URL parameters (less the page) plus the
// visible columns and the time-zone choice. Opening one keeps what the Finder still offers and names what it drops
// (a column, filter or value removed since the view was saved), so an old view still opens.
import type { ViewParams } from '../../api/views';
import { isValidTimeZone } from '../../lib/datetime';

/** `?view=<id>`: a shared link to a view. */
export const VIEW_PARAM = 'view';
export const COLUMNS_PARAM = 'columns';
/**
 * The view's time-zone choice (`viewer`, `site`, `record`). The Finder's URL has a `tz` of its own, the zone of a
 * weekday or hour filter: a view keeps it beside the choice (`tz: ['viewer', 'Europe/Berlin']`), told apart as an IANA zone.
 */
export const ZONE_PARAM = 'tz';
/** Where you are in the list, not what you look at. */
const NOT_SAVED = new Set(['page', VIEW_PARAM]);

/** What the Finder offers today; a view is judged against it when it opens. */
export interface FinderCatalogue {
  /** The URL parameters the Finder reads (its criteria, sort and page size). */
  params: readonly string[];
  /** The values an any-of filter offers, by its parameter (`type`: the interaction types). */
  options: Readonly<Record<string, readonly string[]>>;
  sortFields: readonly string[];
  pageSizes: readonly number[];
  /** The columns that may be shown or hidden. */
  columns: readonly string[];
  zones: readonly string[];
  /** A parameter at its default reads the same as an absent one. */
  defaults: Readonly<Record<string, string>>;
}

/** The parts of the Finder's state that live beside the URL. */
export interface ViewExtras {
  columns: readonly string[];
  zone: string;
}

/** The Finder's whole state as a view keeps it. */
export function currentParams(search: URLSearchParams, extras: ViewExtras): ViewParams {
  const out: ViewParams = {};
  for (const [name, value] of search) {
    if (NOT_SAVED.has(name) || name === COLUMNS_PARAM || name === ZONE_PARAM || value.trim() === '') continue;
    (out[name] ??= []).push(value);
  }
  out[COLUMNS_PARAM] = [extras.columns.join(',')];
  const clockZone = search.get(ZONE_PARAM)?.trim();
  out[ZONE_PARAM] = clockZone ? [extras.zone, clockZone] : [extras.zone];
  return out;
}

export interface OpenedView {
  /** The Finder's URL parameters to navigate to. */
  search: URLSearchParams;
  /** Null: the view does not say (the Finder keeps what it shows). */
  columns: string[] | null;
  zone: string | null;
  /** One sentence per thing left out. */
  dropped: string[];
  /** The view as it opened: what "modified" is judged against. */
  kept: ViewParams;
}

const splitList = (values: readonly string[]) => values.join(',').split(',').map((v) => v.trim()).filter(Boolean);

/** Puts a view back as far as the Finder still offers it. */
export function openView(params: ViewParams, catalogue: FinderCatalogue): OpenedView {
  const dropped: string[] = [];
  const kept: ViewParams = {};
  const search = new URLSearchParams();
  let columns: string[] | null = null;
  let zone: string | null = null;
  const drop = (what: string, value: string) => dropped.push(`This view’s ${what} ‘${value}’ no longer exists and was dropped.`);

  for (const [name, values] of Object.entries(params)) {
    if (NOT_SAVED.has(name)) continue;
    if (name === COLUMNS_PARAM) {
      const named = splitList(values);
      named.filter((c) => !catalogue.columns.includes(c)).forEach((c) => drop('column', c));
      columns = named.filter((c) => catalogue.columns.includes(c));
      kept[name] = [columns.join(',')];
    } else if (name === ZONE_PARAM) {
      for (const value of values) {
        if (catalogue.zones.includes(value) && zone === null) zone = value;
        else if (catalogue.params.includes(ZONE_PARAM) && isValidTimeZone(value)) search.append(name, value);
        else drop('time-zone choice', value);
      }
      const keptZones = [...(zone === null ? [] : [zone]), ...search.getAll(name)];
      if (keptZones.length) kept[name] = keptZones;
    } else if (!catalogue.params.includes(name)) {
      drop('filter', name);
    } else {
      const known = values.map((value) => keepValue(name, value, catalogue, drop)).filter((v): v is string => v !== null);
      if (known.length) {
        kept[name] = known;
        known.forEach((v) => search.append(name, v));
      }
    }
  }
  return { search, columns, zone, dropped, kept };
}

/** A value of one of the Finder's parameters, less what it no longer offers; null when nothing is left. */
function keepValue(name: string, value: string, catalogue: FinderCatalogue, drop: (what: string, value: string) => void) {
  const offered = catalogue.options[name];
  if (offered && !offered.includes(value)) {
    drop(name, value);
    return null;
  }
  if (name === 'page_size' && !catalogue.pageSizes.includes(Number(value))) {
    drop('page size', value);
    return null;
  }
  if (name === 'sort') {
    const fields = splitList([value]).filter((part) => {
      const known = catalogue.sortFields.includes(part.replace(/^-/, ''));
      if (!known) drop('sort column', part.replace(/^-/, ''));
      return known;
    });
    return fields.length ? fields.join(',') : null;
  }
  return value;
}

/** One reading of a view for comparison: defaults and empty values left out, lists in one order. */
function normalise(params: ViewParams, catalogue: FinderCatalogue): string {
  const entries = Object.entries(params)
    .filter(([name]) => !NOT_SAVED.has(name))
    .map(([name, values]): [string, string[]] => {
      const list = name === COLUMNS_PARAM ? splitList(values) : values.filter((v) => v.trim() !== '');
      return [name, [...list].sort()];
    })
    .filter(([name, values]) => values.length && !(values.length === 1 && catalogue.defaults[name] === values[0]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(entries);
}

/** True when the Finder shows what the view holds. */
export const sameView = (a: ViewParams, b: ViewParams, catalogue: FinderCatalogue): boolean =>
  normalise(a, catalogue) === normalise(b, catalogue);
