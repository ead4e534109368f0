// The <option>s of a select whose values are also what it shows (types, page sizes).
export function Options({ values }: { values: readonly (string | number)[] }) {
  return values.map((value) => <option key={value} value={value}>{value}</option>);
}
