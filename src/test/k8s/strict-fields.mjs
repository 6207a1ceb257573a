// Unknown-field check (what `kubeconform -strict` does): kubernetes-models' compiled validators
// accept any extra property, so the field names of each API type are read from the package's
// TypeScript declarations, which list every property of every type.
import fs from 'node:fs';
import path from 'node:path';

const cache = new Map();

/** The properties of the interface declared in a .d.ts file: name -> declaration file of its object type, or null for a leaf. */
function propertiesOf(file, nodeModules) {
  if (cache.has(file)) {
    return cache.get(file);
  }
  const source = fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const imports = new Map();
  for (const match of source.matchAll(/import \{([^}]+)\} from "([^"]+)";/g)) {
    for (const name of match[1].split(',').map((s) => s.trim())) {
      imports.set(name, resolveDeclaration(match[2], file, nodeModules));
    }
  }
  const header = source.match(/export interface \w+(?: extends ([\w, ]+))? \{/);
  if (!header) {
    throw new Error(`no interface in ${file}`);
  }
  const properties = new Map();
  if (header[1]?.includes('TypeMeta')) {
    properties.set('apiVersion', null);
    properties.set('kind', null);
  }
  let depth = 0;
  for (const line of source.slice(header.index + header[0].length).split('\n')) {
    if (depth === 0) {
      if (/^\}/.test(line.trim())) {
        break;
      }
      const property = line.match(/^\s*"([^"]+)"\??: (.*?);?$/);
      if (property) {
        const element = property[2].replace(/^Array<(.*)>$/, '$1');
        properties.set(property[1], imports.get(element) ?? null);
      }
    }
    depth += (line.match(/\{/g) ?? []).length - (line.match(/\}/g) ?? []).length;
  }
  cache.set(file, properties);
  return properties;
}

function resolveDeclaration(specifier, fromFile, nodeModules) {
  const base = specifier.startsWith('.')
    ? path.resolve(path.dirname(fromFile), specifier)
    : path.join(nodeModules, specifier);
  const file = base.replace(/\.js$/, '') + '.d.ts';
  return fs.existsSync(file) ? file : null;
}

function walk(value, file, at, nodeModules, problems) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => walk(item, file, `${at}[${index}]`, nodeModules, problems));
    return;
  }
  if (value === null || typeof value !== 'object') {
    return;
  }
  const properties = propertiesOf(file, nodeModules);
  for (const [key, child] of Object.entries(value)) {
    if (!properties.has(key)) {
      problems.push(`${at ? `${at}.` : ''}${key}: unknown field`);
    } else if (properties.get(key)) {
      walk(child, properties.get(key), at ? `${at}.${key}` : key, nodeModules, problems);
    }
  }
}

/** Problems of the object's field names, empty when every field is one its API type declares. */
export function checkUnknownFields(obj, apiVersion, kind, nodeModules) {
  const file = path.join(nodeModules, 'kubernetes-models', apiVersion, `${kind}.d.ts`);
  if (!fs.existsSync(file)) {
    return [`no declaration for ${apiVersion} ${kind}`];
  }
  const problems = [];
  walk(obj, file, '', nodeModules, problems);
  return problems;
}
