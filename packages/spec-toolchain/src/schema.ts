import { readFile } from 'node:fs/promises';
import { parseYaml } from '@redocly/openapi-core';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

export interface SchemaCheck {
  valid: boolean;
  /** `instancePath message` for every violation. */
  errors: string[];
}

export interface SpecSchemas {
  /** Validates `value` against `#/components/schemas/<name>` of the spec. */
  check(name: string, value: unknown): SchemaCheck;
}

const INT32 = { min: -(2 ** 31), max: 2 ** 31 - 1 };

function describe(errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => `${error.instancePath || '/'} ${error.message ?? error.keyword}`);
}

/**
 * A JSON Schema 2020-12 validator (the dialect of OpenAPI 3.1) over a spec's components, with
 * the OpenAPI number formats enforced. Independent of Prism, so the two can check each other.
 */
export async function loadSpecSchemas(specPath: string): Promise<SpecSchemas> {
  const document: unknown = parseYaml(await readFile(specPath, 'utf8'));
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= INT32.min && n <= INT32.max });
  ajv.addFormat('int64', { type: 'number', validate: (n: number) => Number.isSafeInteger(n) });
  ajv.addFormat('double', { type: 'number', validate: (n: number) => Number.isFinite(n) });
  ajv.addSchema(document as object, 'spec');
  const compiled = new Map<string, ValidateFunction>();
  return {
    check(name, value) {
      let validate = compiled.get(name);
      if (!validate) {
        validate = ajv.compile({ $ref: `spec#/components/schemas/${name}` });
        compiled.set(name, validate);
      }
      const valid = validate(value);
      return { valid, errors: describe(validate.errors) };
    },
  };
}
