// The search box of the shared criteria (debounced into the URL): the Finder's and the insights page's.
import type { Ref } from 'react';
import { useDebouncedField } from '../lib/useDebouncedField';
import type { FinderQueryControls } from './useFinderQuery';

export function SearchBox({ controls, inputRef }: { controls: FinderQueryControls; inputRef?: Ref<HTMLInputElement> }) {
  const { query, update } = controls;
  const search = useDebouncedField(query.search, (value) => update({ search: value }, { replace: true }));
  return (
    <div className="search">
      <label htmlFor="finder-search" className="visually-hidden">
        Search interactions
      </label>
      <input
        ref={inputRef}
        id="finder-search"
        type="search"
        className="search__input"
        placeholder="Search title, lead, location, notes…  ( / )"
        value={search.value}
        onChange={(e) => search.setValue(e.target.value)}
        onKeyDown={(e) => e.key === 'Enter' && search.flush()}
        autoComplete="off"
      />
    </div>
  );
}
