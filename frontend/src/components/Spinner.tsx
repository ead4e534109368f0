// Loading indicators.
export function Spinner({ label = 'Loading' }: { label?: string }) {
  return <span className="spinner" role="status" aria-label={label} />;
}

export function FullPageLoading({ label = 'Loading…' }: { label?: string }) {
  return (
    <div className="centered-page" aria-busy="true">
      <Spinner label={label} />
      <p className="muted">{label}</p>
    </div>
  );
}
