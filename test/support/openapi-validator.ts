import { readFileSync } from 'node:fs';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse as parseYaml } from 'yaml';

/** Checks answers against a provider's own OpenAPI description (3.0 or 3.1). */
type Json = Record<string, unknown>;

export interface Spec {
  doc: Json;
  ajv: Ajv;
  cache: Map<string, ValidateFunction>;
}

/** OpenAPI 3.0's `nullable` becomes JSON Schema's `type: [..., 'null']`, recursively. */
function normalise(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(normalise);
  if (!node || typeof node !== 'object') return node;
  const out: Json = {};
  for (const [k, v] of Object.entries(node as Json)) out[k] = normalise(v);
  if (out.nullable === true && typeof out.type === 'string') out.type = [out.type, 'null'];
  delete out.nullable;
  for (const key of ['example', 'examples', 'xml', 'externalDocs', 'discriminator']) delete out[key];
  return out;
}

export function loadSpec(path: string): Spec {
  const text = readFileSync(path, 'utf8');
  return specOf(path.endsWith('.json') ? JSON.parse(text) : parseYaml(text));
}

/** A document already in hand, e.g. our own /openapi.json. */
export function specOf(document: unknown): Spec {
  const doc = normalise(document) as Json;
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema({ components: doc.components ?? {} }, 'spec');
  return { doc, ajv, cache: new Map() };
}

/** Errors of `body` against the response schema of (method, path, status); empty when it fits. */
export function validateResponse(
  spec: Spec,
  method: string,
  pathTemplate: string,
  status: number,
  body: unknown,
): string[] {
  const operation = ((spec.doc.paths as Json)[pathTemplate] as Json | undefined)?.[method.toLowerCase()] as
    Json | undefined;
  if (!operation) return [`the spec has no ${method} ${pathTemplate}`];
  const responses = operation.responses as Json;
  const response = (responses[String(status)] ?? responses.default) as Json | undefined;
  if (!response) return [`the spec has no ${status} answer for ${method} ${pathTemplate}`];
  const schema = ((response.content as Json | undefined)?.['application/json'] as Json | undefined)?.schema;
  if (!schema) return []; // the spec describes no body (e.g. 202 with none)
  const key = `${method} ${pathTemplate} ${status}`;
  let validate = spec.cache.get(key);
  if (!validate) {
    const rewritten = JSON.parse(JSON.stringify(schema).replace(/"#\/components\//g, '"spec#/components/'));
    validate = spec.ajv.compile(rewritten);
    spec.cache.set(key, validate);
  }
  return validate(body)
    ? []
    : (validate.errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}`);
}
