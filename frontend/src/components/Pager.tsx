// Paging controls of every paged list: range shown, total (or "10,000+" when the server capped the count),
// first / previous / next / last, and, where the list offers it, the page size.
import { Options } from './Options';

const fmt = new Intl.NumberFormat('en-GB');

interface Props {
  /** The navigation's accessible name. */
  label?: string;
  /** The top copy is a compact one for phones, where the rows would push the bottom one far away. */
  placement?: 'top' | 'bottom';
  page: number;
  pageSize: number;
  total: number;
  pages: number;
  /** False when the server stopped counting: the total reads "10,000+" and there is no last page. */
  totalExact?: boolean;
  shown: number;
  onPage: (page: number) => void;
  /** A choice of page size, in the bottom copy. */
  pageSizes?: { options: readonly number[]; onChange: (size: number) => void };
}

export function Pager({
  label = 'Pagination', placement = 'bottom', page, pageSize, total, pages, totalExact = true, shown, onPage, pageSizes,
}: Props) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const last = (page - 1) * pageSize + shown;
  const totalLabel = totalExact ? fmt.format(total) : `${fmt.format(total)}+`;
  const lastPage = Math.max(1, pages);
  const hasNext = totalExact ? page < lastPage : shown === pageSize;

  return (
    <nav className={`pagination pagination--${placement}`} aria-label={placement === 'top' ? `${label}, top` : label}>
      <p className="pagination__summary" aria-live={placement === 'bottom' ? 'polite' : undefined}>
        {total === 0 ? 'No results' : `${fmt.format(first)}–${fmt.format(last)} of ${totalLabel}`}
      </p>
      {placement === 'bottom' && pageSizes && (
        <div className="pagination__size">
          <label htmlFor="page-size">Rows per page</label>
          <select id="page-size" value={pageSize} onChange={(e) => pageSizes.onChange(Number(e.target.value))}>
            <Options values={pageSizes.options} />
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
