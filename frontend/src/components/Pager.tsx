// Previous / next paging for the admin lists, with the range shown ("26–50 of 73").
const fmt = new Intl.NumberFormat('en-GB');

interface Props {
  page: number;
  pages: number;
  total: number;
  pageSize: number;
  shown: number;
  onPage: (page: number) => void;
  label: string;
}

export function Pager({ page, pages, total, pageSize, shown, onPage, label }: Props) {
  const first = total === 0 ? 0 : (page - 1) * pageSize + 1;
  return (
    <nav className="pagination" aria-label={label}>
      <p className="pagination__summary">
        {fmt.format(first)}–{fmt.format((page - 1) * pageSize + shown)} of {fmt.format(total)}
      </p>
      <div className="pagination__pages">
        <button type="button" className="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
          Previous
        </button>
        <button type="button" className="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
          Next
        </button>
      </div>
    </nav>
  );
}
