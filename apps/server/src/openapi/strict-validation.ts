import { setValidationObserver, type ValidationObserver } from '../http/validate';
import type { Operation } from './operation';
import { apiOperations } from './operations';

/** Hono's route path (`/api/customers/:id`, `:id{[0-9]+}`) in the document's form: `/customers/{id}`. */
export function documentPath(routePath: string): string {
  return routePath.replace(/^\/api(?=\/)/, '').replace(/:(\w+)(\{[^}]*\})?/g, '{$1}');
}

/**
 * An observer that throws when a route validates with a schema the document does not list for it, or
 * when the route is not in the document at all: drift fails whichever test calls the route.
 */
export function strictValidationObserver(operations: Operation[] = apiOperations): ValidationObserver {
  const byKey = new Map(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op]));
  return (method, routePath, where, schema) => {
    const verb = method === 'HEAD' ? 'GET' : method;
    const key = `${verb} ${documentPath(routePath)}`;
    const op = byKey.get(key);
    const problem = !op
      ? `${key} validates its ${where} but is not in the API document (an *-operations.ts file)`
      : op[where] !== schema
        ? `${key} validates its ${where} with a schema the API document does not list for it`
        : null;
    if (!problem) return;
    // The error handler answers 500 and may log nowhere in tests; say it where the test run shows it.
    console.error(`OpenAPI drift: ${problem}`);
    throw new Error(`OpenAPI drift: ${problem}`);
  };
}

/** Test harnesses call this once: every validation in the process is then checked against the document. */
export function enableStrictValidation(operations?: Operation[]): void {
  setValidationObserver(strictValidationObserver(operations));
}
