import type { CsvDelimiterChoice } from '@switchboard/shared';
import { useState } from 'react';
import { SelectField } from './select-field';
import { TextareaField } from './textarea-field';

const maxFileBytes = 4_000_000;

/**
 * The file, its delimiter and a paste box of a CSV import. The delimiter is detected by the server
 * from the header line unless the user chooses one.
 */
export function CsvFileFields({
  csv,
  onCsv,
  delimiter,
  onDelimiter,
  onError,
  example,
}: {
  csv: string;
  onCsv: (text: string) => void;
  delimiter: CsvDelimiterChoice | '';
  onDelimiter: (d: CsvDelimiterChoice | '') => void;
  onError: (message: string) => void;
  example: string;
}) {
  const [fileName, setFileName] = useState<string | null>(null);
  return (
    <>
      <div>
        <label htmlFor="import-file" className="block text-sm font-medium text-slate-700">
          CSV file
        </label>
        <input
          id="import-file"
          type="file"
          accept=".csv,text/csv,text/plain"
          className="mt-1 block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium hover:file:bg-slate-200"
          onChange={async (e) => {
            const file = e.target.files?.[0];
            if (!file) return;
            if (file.size > maxFileBytes) {
              onError('The file is larger than 4 MB');
              return;
            }
            setFileName(file.name);
            onCsv(await file.text());
          }}
        />
        {fileName ? <p className="mt-1 text-sm text-slate-500">Loaded {fileName}</p> : null}
      </div>
      <SelectField
        label="Delimiter"
        value={delimiter}
        onChange={(e) => onDelimiter(e.target.value as CsvDelimiterChoice | '')}
      >
        <option value="">Detect from the header line</option>
        <option value=",">Comma ( , )</option>
        <option value=";">Semicolon ( ; )</option>
        <option value={'\t'}>Tab</option>
      </SelectField>
      <TextareaField
        label="Or paste the rows"
        rows={6}
        className="font-mono"
        value={csv}
        placeholder={example}
        onChange={(e) => {
          onCsv(e.target.value);
          setFileName(null);
        }}
      />
    </>
  );
}

/** The rows an import refused, each with its line, column and problem. */
export function CsvImportErrors({ errors }: { errors: { line: number; field: string; message: string }[] }) {
  if (!errors.length) return null;
  return (
    <div className="max-h-56 overflow-y-auto rounded-md ring-1 ring-red-200">
      <table className="min-w-full text-sm">
        <caption className="sr-only">Rows with errors</caption>
        <thead className="sticky top-0 bg-red-50 text-left text-xs font-semibold text-red-900 uppercase">
          <tr>
            <th scope="col" className="px-3 py-2">
              Line
            </th>
            <th scope="col" className="px-3 py-2">
              Column
            </th>
            <th scope="col" className="px-3 py-2">
              Problem
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-red-100">
          {errors.map((e) => (
            <tr key={`${e.line}-${e.field}-${e.message}`}>
              <td className="px-3 py-1.5 tabular-nums">{e.line || '—'}</td>
              <td className="px-3 py-1.5">{e.field}</td>
              <td className="px-3 py-1.5">{e.message}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
