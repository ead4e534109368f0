// Paging controls: range shown, total (or "10,000+" when the server capped the count), page size.
import { Options } from '../components/Options';
import { PAGE_SIZES } from './queryState';

const fmt = new Intl.NumberFormat('en-GB');

interface Props {
  /** The top copy is a compact one for phones, where the rows would push the bottom one far away. */
  placement?: 'top' | 'bottom';
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  totalExact: boolean;
  shown: number;
  onPage: (page: number) => void;
  onPageSize: (size: number) => void;
}

export function Pagination({ placement = 'bottom', page, pageSize, total, pages, totalExact, shown, onPage, onPageSize }: Props) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + shown;
  const totalLabel = totalExact ? fmt.format(total) : `${fmt.format(total)}+`;
  const lastPage = Math.max(1, pages);
  const hasNext = totalExact ? page < lastPage : shown === pageSize;

  return (
    <nav className={`pagination pagination--${placement}`} aria-label={placement === 'top' ? 'Pagination, top' : 'Pagination'}>
      <p className="pagination__summary" aria-live={placement === 'bottom' ? 'polite' : undefined}>
        {total === 0 ? 'No results' : `${fmt.format(first)}–${fmt.format(last)} of ${totalLabel}`}
      </p>
      {placement === 'bottom' && (
      <div className="pagination__size">
        <label htmlFor="page-size">Rows per page</label>
        <select id="page-size" value={pageSize} onChange={(e) => onPageSize(Number(e.target.value))}>
          <Options values={PAGE_SIZES} />
        </select>
      </div>
      )}
      <div className="pagination__pages">
        <button type="button" className="button button--icon" onClick={() => onPage(1)} disabled={page <= 1} aria-label="First page">
          «
        </button>
        <button type="button" className="button button--icon" onClick={() => onPage(page - 1)} disabled={page <= 1} aria-label="Previous page">
          ‹
        </button>
        <span className="pagination__page">
          Page {fmt.format(page)}
          {totalExact && ` of ${fmt.format(lastPage)}`}
        </span>
        <button type="button" className="button button--icon" onClick={() => onPage(page + 1)} disabled={!hasNext} aria-label="Next page">
          ›
        </button>
        {totalExact && (
          <button type="button" className="button button--icon" onClick={() => onPage(lastPage)} disabled={page >= lastPage} aria-label="Last page">
            »
          </button>
        )}
      </div>
    </nav>
  );
}
