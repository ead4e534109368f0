// A labelled select over a fixed list of [value, label] choices (roles, audit actions, people).
interface SelectFieldProps<V extends string> {
  id: string;
  label: string;
  /** The label stays for screen readers where the context shows it (a table row). */
  hideLabel?: boolean;
  value: V;
  choices: readonly (readonly [V, string])[];
  onChange: (value: V) => void;
  disabled?: boolean;
}

export function SelectField<V extends string>({ id, label, hideLabel, value, choices, onChange, disabled }: SelectFieldProps<V>) {
  return (
    <div className="field">
      <label htmlFor={id} className={hideLabel ? 'visually-hidden' : undefined}>
        {label}
      </label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as V)}>
        {choices.map(([choice, text]) => (
          <option key={choice} value={choice}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
