// The form's fields: one control per entry of the field list, chosen by its kind, in the list's order; the time
// zone with the start and end it qualifies, entered first.
import { Controller, useWatch } from 'react-hook-form';
import { DateTime } from 'luxon';
import { FIELD_LABELS, FIELD_NAMES, fieldSpec, isRequired, type FieldName } from '../api/interactionFields';
import { Field, fieldAria } from '../components/Field';
import { Options } from '../components/Options';
import { describeInBrowserZone } from '../lib/datetime';
import type { InteractionFormApi } from './useSaveInteraction';
import { TimezonePicker } from './TimezonePicker';

/** `f-title`, `f-start` (datetimes drop their suffix). */
const inputId = (name: FieldName) => `f-${name.replace(/_datetime$/, '')}`;

const isWhen = (name: FieldName) => ['datetime', 'timezone'].includes(fieldSpec(name).kind);
const FIRST_WHEN = FIELD_NAMES.find(isWhen);

interface Props {
  form: InteractionFormApi;
  timezones: readonly string[];
  canWrite: boolean;
}

/** A text, long-text or choice field, as its entry in the field list describes it. */
function PlainField({ name, form }: { name: FieldName; form: InteractionFormApi }) {
  const spec = fieldSpec(name);
  const id = inputId(name);
  const value = useWatch({ control: form.control, name }) ?? '';
  const error = form.formState.errors[name]?.message;
  const { help, wide, counter, rows, autoComplete, placeholder } = spec.form ?? {};
  const aria = fieldAria(id, { help: Boolean(help), error, required: isRequired(name) });
  const max = counter ? spec.max : undefined;
  return (
    <Field
      id={id}
      label={spec.label}
      required={isRequired(name)}
      error={error}
      counter={max ? { length: value.length, max } : undefined}
      className={wide ? 'span-2' : undefined}
      help={help}
    >
      {spec.kind === 'choice' ? (
        <select {...aria} {...form.register(name)}>
          <option value="">{placeholder}</option>
          <Options values={spec.options ?? []} />
        </select>
      ) : spec.kind === 'longText' ? (
        <textarea rows={rows} {...aria} {...form.register(name)} />
      ) : (
        <input type="text" autoComplete={autoComplete} {...aria} {...form.register(name)} />
      )}
    </Field>
  );
}

/** Time zone, start and end: times are entered as wall-clock time in the chosen zone. */
function WhenFields({ form, timezones, canWrite }: Props) {
  const { control, register, getValues, setValue } = form;
  const errors = form.formState.errors;
  const [timezone = '', start = '', end = ''] = useWatch({ control, name: ['timezone', 'start_datetime', 'end_datetime'] });
  const zoneHelp = fieldSpec('timezone').form?.help;

  // A first start fills an empty end with start + 1 hour, the common case.
  const onStartChange = (value: string) => {
    if (value && !getValues('end_datetime')) {
      const plusHour = DateTime.fromISO(value).plus({ hours: 1 });
      if (plusHour.isValid) setValue('end_datetime', plusHour.toFormat("yyyy-LL-dd'T'HH:mm"), { shouldDirty: true });
    }
  };

  return (
    <>
      <Field id="f-timezone" label={FIELD_LABELS.timezone} required error={errors.timezone?.message} className="span-2" help={zoneHelp}>
        <Controller
          control={control}
          name="timezone"
          render={({ field }) => (
            <TimezonePicker
              ref={field.ref}
              id="f-timezone"
              value={field.value}
              options={timezones}
              onChange={field.onChange}
              onBlur={field.onBlur}
              disabled={!canWrite}
              invalid={Boolean(errors.timezone)}
              required
              describedBy={[errors.timezone ? 'f-timezone-error' : '', 'f-timezone-help'].filter(Boolean).join(' ')}
            />
          )}
        />
      </Field>
      <Field id="f-start" label={FIELD_LABELS.start_datetime} required error={errors.start_datetime?.message} help={describeInBrowserZone(start, timezone) ?? `In ${timezone || 'the chosen time zone'}.`}>
        <input
          type="datetime-local"
          {...fieldAria('f-start', { help: true, error: errors.start_datetime?.message, required: true })}
          {...register('start_datetime', { onChange: (e: { target: HTMLInputElement }) => onStartChange(e.target.value) })}
        />
      </Field>
      <Field id="f-end" label={FIELD_LABELS.end_datetime} required error={errors.end_datetime?.message} help={describeInBrowserZone(end, timezone) ?? 'The same as or after the start.'}>
        <input type="datetime-local" min={start || undefined} {...fieldAria('f-end', { help: true, error: errors.end_datetime?.message, required: true })} {...register('end_datetime', { deps: ['start_datetime'] })} />
      </Field>
    </>
  );
}

export function InteractionFields(props: Props) {
  return (
    // Not disabled while saving: focus must be able to move to a field the server rejected.
    <fieldset disabled={!props.canWrite} className="form-grid">
      <legend className="visually-hidden">Interaction details</legend>
      {FIELD_NAMES.map((name) =>
        name === FIRST_WHEN ? <WhenFields key={name} {...props} /> : isWhen(name) ? null : <PlainField key={name} name={name} form={props.form} />,
      )}
    </fieldset>
  );
}
