import type { Sound } from '@switchboard/shared';
import { type FormEvent, useState } from 'react';
import { Alert } from '../../../components/alert';
import { Button } from '../../../components/button';
import { Card } from '../../../components/card';
import { Dialog } from '../../../components/dialog';
import { PageHeader } from '../../../components/page-header';
import { SelectField } from '../../../components/select-field';
import {
  soundAudioUrl,
  soundLength,
  useBuiltInPrompts,
  useSoundLibrary,
  useSoundPreview,
} from '../../../components/sound-picker';
import { EmptyRow, Table, Td, Th } from '../../../components/table';
import { TextField } from '../../../components/text-field';
import { errorMessage, fieldErrorsOf } from '../../../lib/field-errors';
import { browserTimeZone, formatDateTime } from '../../../lib/format';
import { useCurrentUser } from '../../auth/api/get-me';
import { useDeleteSound } from '../api/delete-sound';
import { useUpdateSound } from '../api/update-sound';
import { useUploadSound } from '../api/upload-sound';

function kilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function UploadCard({ folders }: { folders: string[] }) {
  const upload = useUploadSound();
  // A new key empties the file input after an upload.
  const [inputKey, setInputKey] = useState(0);
  const [file, setFile] = useState<File | null>(null);
  const [name, setName] = useState('');
  const [folder, setFolder] = useState('');
  const errors = fieldErrorsOf(upload.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    upload.mutate(
      { file, name, folder },
      {
        onSuccess: () => {
          setFile(null);
          setName('');
          setInputKey((k) => k + 1);
        },
      },
    );
  };
  return (
    <Card title="Upload a sound">
      <form onSubmit={submit} aria-label="Upload a sound" className="grid grid-cols-3 items-start gap-4">
        <TextField
          label="Audio file"
          type="file"
          accept="audio/*,.wav,.mp3,.ogg,.flac"
          key={inputKey}
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          error={errors.file}
          hint="WAV, MP3, OGG or FLAC; converted to 8 kHz G.711"
        />
        <TextField
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder={file ? file.name.replace(/\.[^.]+$/, '') : 'The file name'}
          error={errors.name}
        />
        <TextField
          label="Folder"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          placeholder="callback (empty: top level)"
          list="sound-folders"
          error={errors.folder}
        />
        <datalist id="sound-folders">
          {folders.map((f) => (
            <option key={f} value={f} />
          ))}
        </datalist>
        <div className="col-span-3 flex items-center justify-end gap-3">
          {upload.isError && Object.keys(errors).length === 0 ? (
            <Alert tone="error">{errorMessage(upload.error)}</Alert>
          ) : null}
          {upload.isSuccess ? (
            <span className="text-sm text-emerald-700" role="status">
              Uploaded {upload.data.name} ({soundLength(upload.data.durationMs)})
            </span>
          ) : null}
          <Button type="submit" disabled={!file || upload.isPending}>
            {upload.isPending ? 'Converting…' : 'Upload'}
          </Button>
        </div>
      </form>
    </Card>
  );
}

function EditDialog({ sound, onClose }: { sound: Sound; onClose: () => void }) {
  const update = useUpdateSound();
  const [name, setName] = useState(sound.name);
  const [folder, setFolder] = useState(sound.folder);
  const errors = fieldErrorsOf(update.error);
  return (
    <Dialog
      open
      title={`Rename or move · ${sound.name}`}
      onClose={onClose}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="sound-edit-form" disabled={update.isPending}>
            Save
          </Button>
        </>
      }
    >
      <form
        id="sound-edit-form"
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          update.mutate({ id: sound.id, name, folder }, { onSuccess: onClose });
        }}
      >
        {update.isError && Object.keys(errors).length === 0 ? (
          <Alert tone="error">{errorMessage(update.error)}</Alert>
        ) : null}
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={errors.name} />
        <TextField
          label="Folder"
          value={folder}
          onChange={(e) => setFolder(e.target.value)}
          hint="Empty: top level; up to 4 levels, like ivr/main"
          error={errors.folder}
        />
      </form>
    </Dialog>
  );
}

/**
 * The sound library: uploads converted to 8 kHz G.711, in folders with their lengths, to listen
 * to, download, rename, move and delete; and the built-in prompts beside them.
 */
export function SoundLibraryPage() {
  const zone = useCurrentUser().data?.timeZone ?? browserTimeZone();
  const library = useSoundLibrary();
  const prompts = useBuiltInPrompts();
  const del = useDeleteSound();
  const preview = useSoundPreview();
  const [folder, setFolder] = useState<string | null>(null);
  const [editing, setEditing] = useState<Sound | null>(null);
  const [deleting, setDeleting] = useState<Sound | null>(null);
  const folders = library.data?.folders ?? [];
  const sounds = (library.data?.sounds ?? []).filter((s) => folder === null || s.folder === folder);
  const listen = (ref: string, name: string) => (
    <Button variant="ghost" size="sm" aria-label={`Listen to ${name}`} onClick={() => preview.toggle(ref)}>
      {preview.playing === ref ? 'Stop' : 'Listen'}
    </Button>
  );
  return (
    <div>
      <PageHeader
        title="Sound library"
        description="Prompts for callback services and call flows. Uploads are converted to 8 kHz G.711, what the phone network carries."
      />
      <UploadCard folders={folders.filter(Boolean)} />
      <div className="mt-6 mb-2 flex items-end justify-between gap-4">
        <h2 className="text-sm font-semibold text-slate-800">Uploaded sounds</h2>
        <SelectField
          label="Show folder"
          className="w-56"
          value={folder ?? '*'}
          onChange={(e) => setFolder(e.target.value === '*' ? null : e.target.value)}
        >
          <option value="*">All folders</option>
          {folders.map((f) => (
            <option key={f || '/'} value={f}>
              {f || 'Top level'}
            </option>
          ))}
        </SelectField>
      </div>
      {library.isError ? <Alert tone="error">{errorMessage(library.error)}</Alert> : null}
      {del.isError ? <Alert tone="error">{errorMessage(del.error)}</Alert> : null}
      <Table
        caption="Uploaded sounds"
        head={
          <>
            <Th>Name</Th>
            <Th>Folder</Th>
            <Th>Length</Th>
            <Th>Size</Th>
            <Th>Uploaded</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {library.isPending ? (
          <EmptyRow colSpan={6}>Loading…</EmptyRow>
        ) : sounds.length === 0 ? (
          <EmptyRow colSpan={6}>No sounds uploaded{folder !== null ? ' in this folder' : ''}.</EmptyRow>
        ) : (
          sounds.map((s) => (
            <tr key={s.id}>
              <Td className="font-medium text-slate-900">{s.name}</Td>
              <Td className="font-mono text-xs">{s.folder || '—'}</Td>
              <Td>{soundLength(s.durationMs)}</Td>
              <Td>{kilobytes(s.sizeBytes)}</Td>
              <Td>{formatDateTime(s.createdAt, zone)}</Td>
              <Td className="whitespace-nowrap text-right">
                {listen(s.ref, s.name)}
                <a
                  className="px-2 text-sm font-medium text-slate-700 hover:underline"
                  href={`${soundAudioUrl(s.ref)}?download=1`}
                  download
                >
                  Download
                </a>
                <Button variant="ghost" size="sm" onClick={() => setEditing(s)}>
                  Rename/move
                </Button>
                <Button variant="ghost-danger" size="sm" onClick={() => setDeleting(s)}>
                  Delete
                </Button>
              </Td>
            </tr>
          ))
        )}
      </Table>
      <h2 className="mt-6 mb-2 text-sm font-semibold text-slate-800">Built-in prompts</h2>
      <Table
        caption="Built-in prompts"
        head={
          <>
            <Th>Name</Th>
            <Th>Length</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </>
        }
      >
        {(prompts.data ?? []).map((p) => (
          <tr key={p.name}>
            <Td className="font-mono text-xs">{p.name}</Td>
            <Td>{soundLength(p.durationMs)}</Td>
            <Td className="text-right">{listen(p.name, p.name)}</Td>
          </tr>
        ))}
      </Table>
      {editing ? <EditDialog sound={editing} onClose={() => setEditing(null)} /> : null}
      {deleting ? (
        <Dialog
          open
          size="sm"
          title={`Delete ${deleting.name}?`}
          description="Settings that play it fall back to their default prompt."
          onClose={() => setDeleting(null)}
          footer={
            <>
              <Button variant="secondary" onClick={() => setDeleting(null)}>
                Cancel
              </Button>
              <Button
                variant="danger"
                disabled={del.isPending}
                onClick={() => del.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
              >
                Delete
              </Button>
            </>
          }
        >
          <p className="text-sm text-slate-600">
            {deleting.folder ? `${deleting.folder}/` : ''}
            {deleting.name}, {soundLength(deleting.durationMs)}
          </p>
        </Dialog>
      ) : null}
    </div>
  );
}
