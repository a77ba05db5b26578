// Owns the New execution form (also prefilled to re-run a run with edits): builds the POST body, and shows the API's validation message beside the field it names.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, createExecution, type CreateBody } from '../api';
import { navigate } from '../router';
import type { RerunPrefill } from './rerun-prefill';

const FIELDS = [
  'name',
  'command',
  'working_directory',
  'environment',
  'tags',
  'timeout',
  'runs_on',
  'markers',
] as const;
type Field = (typeof FIELDS)[number];

/** Parses KEY=VALUE lines; blank lines and # comments are skipped. */
export function parseEnvironment(text: string): Record<string, string> {
  const environment: Record<string, string> = {};
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new ApiError(`line ${index + 1} is not KEY=VALUE`, 400, 'validation_failed', 'environment');
    environment[line.slice(0, eq).trim()] = line.slice(eq + 1);
  });
  return environment;
}

/** Refuses names from the re-run's prefill still without a value: the old value is unknown here, and an empty one would replace it. */
function checkPrefilledValues(environment: Record<string, string>, prefill: RerunPrefill | undefined): void {
  const missing = (prefill?.environmentNames ?? []).filter((name) => environment[name] === '');
  if (missing.length > 0)
    throw new ApiError(
      `${missing.join(', ')}: type the value again (stored values are never shown), or remove the line`,
      400,
      'validation_failed',
      'environment',
    );
}

function buildBody(form: HTMLFormElement, prefill: RerunPrefill | undefined): CreateBody {
  const value = (name: Field) => (form.elements.namedItem(name) as HTMLInputElement).value;
  const unedited = prefill?.argv && value('command') === prefill.command;
  const body: CreateBody = { command: unedited ? (prefill.argv as string[]) : value('command') };
  if (value('name').trim()) body.name = value('name').trim();
  if (value('working_directory').trim()) body.working_directory = value('working_directory').trim();
  const environment = parseEnvironment(value('environment'));
  checkPrefilledValues(environment, prefill);
  if (Object.keys(environment).length > 0) body.environment = environment;
  const tags = value('tags')
    .split(',')
    .map((tag) => tag.trim())
    .filter(Boolean);
  if (tags.length > 0) body.tags = tags;
  if (value('timeout').trim()) body.timeout = Number(value('timeout'));
  const runsOn = value('runs_on')
    .split(',')
    .map((label) => label.trim())
    .filter(Boolean);
  if (runsOn.length > 0) body.runs_on = runsOn;
  // The server names an unknown dialect in its answer, shown beside this field.
  const markers = value('markers')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (markers.length > 0) body.markers = markers;
  if (prefill) body.metadata = { rerun_of: prefill.rerunOf };
  return body;
}

/** Which input an API `field` (e.g. `environment.FOO`, `command.0`) belongs to. */
function fieldOf(field: string | undefined): Field | 'form' {
  const head = field?.split('.')[0];
  return FIELDS.find((candidate) => candidate === head) ?? 'form';
}

function Row({
  name,
  label,
  hint,
  error,
  children,
}: {
  name: Field;
  label: string;
  hint?: string;
  error: string | undefined;
  children: preact.ComponentChildren;
}) {
  return (
    <div class={`field${error ? ' invalid' : ''}`}>
      <label for={`f-${name}`}>{label}</label>
      {children}
      {hint && !error && (
        <small id={`f-${name}-hint`} class="muted">
          {hint}
        </small>
      )}
      {error && (
        <small id={`f-${name}-error`} class="field-error" role="alert" data-field={name}>
          {error}
        </small>
      )}
    </div>
  );
}

function Fields({
  errors,
  prefill,
}: {
  errors: Partial<Record<Field | 'form', string>>;
  prefill: RerunPrefill | undefined;
}) {
  const described = (name: Field) => (errors[name] ? `f-${name}-error` : `f-${name}-hint`);
  const environment = prefill?.environmentNames.map((name) => `${name}=`).join('\n');
  return (
    <>
      <Row name="name" label="Name" error={errors.name} hint="Optional; defaults to the command">
        <input id="f-name" name="name" defaultValue={prefill?.name} aria-describedby={described('name')} />
      </Row>
      <Row name="command" label="Command" error={errors.command} hint="Run by a shell, e.g. ./deploy.sh --env staging">
        <textarea
          id="f-command"
          name="command"
          rows={3}
          required
          defaultValue={prefill?.command}
          aria-describedby={described('command')}
          spellcheck={false}
        />
      </Row>
      <Row
        name="working_directory"
        label="Working directory"
        error={errors.working_directory}
        hint="Optional; the server's default when empty"
      >
        <input
          id="f-working_directory"
          name="working_directory"
          defaultValue={prefill?.workingDirectory}
          aria-describedby={described('working_directory')}
        />
      </Row>
      <Row
        name="environment"
        label="Environment"
        error={errors.environment}
        hint={
          prefill
            ? 'One KEY=VALUE per line; stored values are never shown, so type each again'
            : 'One KEY=VALUE per line'
        }
      >
        <textarea
          id="f-environment"
          name="environment"
          rows={3}
          defaultValue={environment}
          aria-describedby={described('environment')}
          spellcheck={false}
        />
      </Row>
      <div class="field-pair">
        <Row name="tags" label="Tags" error={errors.tags} hint="Comma-separated">
          <input id="f-tags" name="tags" defaultValue={prefill?.tags.join(', ')} aria-describedby={described('tags')} />
        </Row>
        <Row name="timeout" label="Timeout (seconds)" error={errors.timeout} hint="Optional">
          <input
            id="f-timeout"
            name="timeout"
            type="number"
            min={1}
            step="any"
            defaultValue={prefill?.timeout?.toString()}
            aria-describedby={described('timeout')}
          />
        </Row>
      </div>
      <Row
        name="runs_on"
        label="Runs on"
        error={errors.runs_on}
        hint="Optional agent labels, comma-separated (e.g. linux, gpu): only an agent with all of them runs it"
      >
        <input
          id="f-runs_on"
          name="runs_on"
          defaultValue={prefill?.runsOn?.join(', ')}
          aria-describedby={described('runs_on')}
        />
      </Row>
      <Row
        name="markers"
        label="Markers"
        error={errors.markers}
        hint="Comma-separated: stepflow, github, gitlab, azure, teamcity, buildkite, tap; the server's default when empty"
      >
        <input
          id="f-markers"
          name="markers"
          defaultValue={prefill?.markers.join(', ')}
          aria-describedby={described('markers')}
          spellcheck={false}
        />
      </Row>
    </>
  );
}

/** The form in a modal dialog, empty or prefilled from a run to re-run with edits; on success it navigates to the new execution. */
export function NewExecutionForm({
  open,
  onClose,
  prefill,
}: {
  open: boolean;
  onClose: () => void;
  prefill?: RerunPrefill;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [errors, setErrors] = useState<Partial<Record<Field | 'form', string>>>({});
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (open && !dialog.current?.open) dialog.current?.showModal();
    if (!open && dialog.current?.open) dialog.current.close();
  }, [open]);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const id = await createExecution(buildBody(event.currentTarget as HTMLFormElement, prefill));
      onClose();
      navigate(`/executions/${id}`);
    } catch (error) {
      const failure = error as ApiError;
      setErrors({ [fieldOf(failure.field)]: failure.message });
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={dialog} class="modal" aria-labelledby="new-title" onClose={onClose}>
      <form onSubmit={(event) => void submit(event)} noValidate>
        <h2 id="new-title">{prefill ? `Re-run #${prefill.rerunOf} with edits` : 'New execution'}</h2>
        <Fields errors={errors} prefill={prefill} />
        {errors.form && (
          <p class="field-error" role="alert">
            {errors.form}
          </p>
        )}
        <div class="actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="primary" disabled={busy}>
            {busy ? 'Starting…' : 'Start execution'}
          </button>
        </div>
      </form>
    </dialog>
  );
}
