// A long text's change as one readable text: removed words struck through, added words highlighted.
import { diffWordsWithSpace } from 'diff';

export function TextDiff({ from, to }: { from: string; to: string }) {
  return (
    <span className="diff-text">
      {diffWordsWithSpace(from, to).map((part, n) =>
        part.removed ? (
          <del key={n} className="diff-del">
            {part.value}
          </del>
        ) : part.added ? (
          <ins key={n} className="diff-ins">
            {part.value}
          </ins>
        ) : (
          <span key={n}>{part.value}</span>
        ),
      )}
    </span>
  );
}
