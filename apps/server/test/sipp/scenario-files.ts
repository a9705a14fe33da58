// The sipp scenarios kept as files in this folder (the others are written per test from templates).
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Absolute path of a scenario file in this folder, e.g. `carrier-registrar.xml`. */
export function sippScenarioFile(name: 'carrier-registrar.xml' | 'desk-phone-register.xml'): string {
  return path.join(here, name);
}
