// The offer of a draft the form kept from an earlier visit that was never saved.
import { formatLocal } from '../lib/datetime';

export function DraftOffer({ savedAt, existing, onRestore, onDiscard }: {
  savedAt: string;
  /** A draft of changes to a stored interaction, not of a new one. */
  existing: boolean;
  onRestore: () => void;
  onDiscard: () => void;
}) {
  return (
    <section className="notice notice--info draft-offer" aria-label="Unsaved draft">
      <p>
        You have a draft of {existing ? 'changes to this interaction' : 'a new interaction'} from{' '}
        {formatLocal(savedAt)} that was never saved.
      </p>
      <div className="draft-offer__actions">
        <button type="button" className="button button--primary" onClick={onRestore}>
          Restore draft
        </button>
        <button type="button" className="button" onClick={onDiscard}>
          Discard
        </button>
      </div>
    </section>
  );
}
