// Renders the Kubernetes manifests under a directory the way `kubectl apply -k` would, for the
// subset of kustomize they use, and validates every object offline against the Kubernetes
// schemas (kubernetes-models), including unknown fields (a misspelt `readinesProbe` is an error).
//
//   node src/test/k8s/validate.mjs k8s
//
// Prints {"variants": {"base": [...], "overlays/dev": [...]}, "files": {"base/secret.example.yaml": [...]}}
// on success: every directory with a kustomization.yaml is a variant, every other YAML file not used
// by one is validated on its own. Exits 1 with the problems on stderr otherwise. K8sManifestsTest
// runs it and checks the rendered objects against the application.
//
// Kustomize subset: `resources` (files and directories), `images`, and `patches` given by `path`
// or inline `patch`, either strategic merge (matched by kind and name, or `target`) or JSON 6902
// (with `target`). Anything else in a kustomization is refused rather than ignored.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { checkUnknownFields } from './strict-fields.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const SUPPORTED_KEYS = new Set(['apiVersion', 'kind', 'resources', 'images', 'patches']);
// Strategic merge keys of the lists the manifests patch (as in the Kubernetes API's patchMergeKey).
const MERGE_KEYS = {
  containers: 'name', initContainers: 'name', env: 'name', volumes: 'name', volumeMounts: 'name',
  ports: 'containerPort', imagePullSecrets: 'name',
};

const problems = [];

function fail(where, message) {
  problems.push(`${where}: ${message}`);
}

function readYamlDocuments(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, 'utf8'))
    .map((doc) => {
      if (doc.errors.length) {
        throw new Error(`${file}: ${doc.errors.map((e) => e.message).join('; ')}`);
      }
      return doc.toJS();
    })
    .filter((obj) => obj !== null && obj !== undefined);
}

function idOf(obj) {
  return `${obj.kind}/${obj.metadata?.name}`;
}

/** Renders one kustomization directory; `used` collects the files it read. */
function render(dir, used) {
  const kustomizationFile = path.join(dir, 'kustomization.yaml');
  used.add(kustomizationFile);
  const [kustomization] = readYamlDocuments(kustomizationFile);
  for (const key of Object.keys(kustomization)) {
    if (!SUPPORTED_KEYS.has(key)) {
      throw new Error(`${kustomizationFile}: '${key}' is outside the kustomize subset this check renders; extend validate.mjs first`);
    }
  }
  let objects = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.resolve(dir, resource);
    const rendered = fs.statSync(target).isDirectory() ? render(target, used) : readFile(target, used);
    for (const obj of rendered) {
      if (objects.some((existing) => idOf(existing) === idOf(obj))) {
        throw new Error(`${kustomizationFile}: ${idOf(obj)} is defined twice`);
      }
      objects.push(obj);
    }
  }
  for (const patch of kustomization.patches ?? []) {
    objects = applyPatch(objects, patch, dir, used, kustomizationFile);
  }
  for (const image of kustomization.images ?? []) {
    setImage(objects, image, kustomizationFile);
  }
  return objects;
}

function readFile(file, used) {
  used.add(file);
  return readYamlDocuments(file);
}

function applyPatch(objects, patch, dir, used, where) {
  let documents;
  if (patch.path) {
    documents = readFile(path.resolve(dir, patch.path), used);
  } else if (typeof patch.patch === 'string') {
    documents = YAML.parseAllDocuments(patch.patch).map((doc) => doc.toJS());
  } else {
    throw new Error(`${where}: a patch needs 'path' or 'patch'`);
  }
  if (documents.length !== 1) {
    throw new Error(`${where}: patch ${patch.path ?? '(inline)'} must hold exactly one document`);
  }
  const [body] = documents;
  if (Array.isArray(body)) {
    if (!patch.target) {
      throw new Error(`${where}: a JSON 6902 patch needs a target`);
    }
    const matches = objects.filter((obj) => matchesTarget(obj, patch.target));
    if (!matches.length) {
      throw new Error(`${where}: patch target ${JSON.stringify(patch.target)} matches nothing`);
    }
    return objects.map((obj) => (matches.includes(obj) ? applyJsonPatch(obj, body, where) : obj));
  }
  const target = patch.target ?? { kind: body.kind, name: body.metadata?.name };
  const matches = objects.filter((obj) => matchesTarget(obj, target));
  if (!matches.length) {
    throw new Error(`${where}: patch ${patch.path ?? '(inline)'} matches no resource (${target.kind}/${target.name})`);
  }
  return objects.map((obj) => (matches.includes(obj) ? strategicMerge(obj, withoutIdentity(body, patch.target), '') : obj));
}

function matchesTarget(obj, target) {
  return (!target.kind || obj.kind === target.kind) && (!target.name || obj.metadata?.name === target.name);
}

/** With a target, a strategic merge patch may carry a placeholder name: keep the target's. */
function withoutIdentity(body, target) {
  if (!target) {
    return body;
  }
  const copy = structuredClone(body);
  delete copy.metadata?.name;
  return copy;
}

function strategicMerge(base, patch, at) {
  if (patch === null) {
    return undefined;
  }
  if (Array.isArray(patch)) {
    const key = MERGE_KEYS[at.split('.').pop()];
    if (!key || !Array.isArray(base)) {
      return structuredClone(patch);
    }
    const merged = structuredClone(base);
    for (const item of patch) {
      if (item === null || typeof item !== 'object' || !(key in item)) {
        throw new Error(`strategic merge at ${at}: every item needs its merge key '${key}'`);
      }
      const index = merged.findIndex((existing) => existing?.[key] === item[key]);
      if (index >= 0) {
        merged[index] = strategicMerge(merged[index], item, at);
      } else {
        merged.push(structuredClone(item));
      }
    }
    return merged;
  }
  if (typeof patch === 'object') {
    const result = base !== null && typeof base === 'object' && !Array.isArray(base) ? structuredClone(base) : {};
    for (const [key, value] of Object.entries(patch)) {
      if (key.startsWith('$')) {
        throw new Error(`strategic merge directive ${key} at ${at} is outside the subset this check renders`);
      }
      const merged = strategicMerge(result[key], value, at ? `${at}.${key}` : key);
      if (merged === undefined) {
        delete result[key];
      } else {
        result[key] = merged;
      }
    }
    return result;
  }
  return patch;
}

function applyJsonPatch(obj, operations, where) {
  const result = structuredClone(obj);
  for (const op of operations) {
    const segments = op.path.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = segments.pop();
    let parent = result;
    for (const segment of segments) {
      parent = parent?.[Array.isArray(parent) ? Number(segment) : segment];
    }
    if (parent === undefined || parent === null) {
      throw new Error(`${where}: JSON patch path ${op.path} does not exist`);
    }
    const index = Array.isArray(parent) ? (last === '-' ? parent.length : Number(last)) : last;
    if (op.op === 'add') {
      Array.isArray(parent) ? parent.splice(index, 0, op.value) : (parent[index] = op.value);
    } else if (op.op === 'replace' || op.op === 'remove') {
      if (!(index in parent)) {
        throw new Error(`${where}: JSON patch path ${op.path} does not exist`);
      }
      if (op.op === 'replace') {
        parent[index] = op.value;
      } else {
        Array.isArray(parent) ? parent.splice(index, 1) : delete parent[index];
      }
    } else {
      throw new Error(`${where}: JSON patch op '${op.op}' is outside the subset this check renders`);
    }
  }
  return result;
}

function setImage(objects, image, where) {
  let found = false;
  for (const obj of objects) {
    const pod = obj.spec?.template?.spec;
    for (const container of [...(pod?.containers ?? []), ...(pod?.initContainers ?? [])]) {
      const name = container.image.replace(/@.*$/, '').replace(/:[^:/]*$/, '');
      if (name !== image.name) {
        continue;
      }
      found = true;
      const tag = image.digest ? `@${image.digest}` : `:${image.newTag ?? container.image.split(':').slice(1).join(':')}`;
      container.image = `${image.newName ?? name}${tag}`;
    }
  }
  if (!found) {
    throw new Error(`${where}: images entry '${image.name}' matches no container`);
  }
}

async function validateObject(obj, where) {
  if (!obj.apiVersion || !obj.kind) {
    fail(where, 'an object without apiVersion or kind');
    return;
  }
  let Model;
  try {
    Model = (await import(`kubernetes-models/${obj.apiVersion}/${obj.kind}`))[obj.kind];
  } catch {
    fail(where, `unknown API ${obj.apiVersion} ${obj.kind}`);
    return;
  }
  try {
    new Model(obj).validate();
  } catch (error) {
    fail(`${where} ${idOf(obj)}`, error.message);
  }
  for (const problem of checkUnknownFields(obj, obj.apiVersion, obj.kind, path.join(here, 'node_modules'))) {
    fail(`${where} ${idOf(obj)}`, problem);
  }
}

function yamlFilesUnder(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      return yamlFilesUnder(full);
    }
    return /\.ya?ml$/.test(entry.name) ? [full] : [];
  });
}

async function main() {
  const root = path.resolve(process.argv[2] ?? 'k8s');
  const used = new Set();
  const variants = {};
  const files = {};
  const kustomizations = yamlFilesUnder(root).filter((file) => path.basename(file) === 'kustomization.yaml');
  if (!kustomizations.length) {
    fail(root, 'no kustomization.yaml found');
  }
  for (const file of kustomizations.sort()) {
    const dir = path.dirname(file);
    const name = path.relative(root, dir) || '.';
    try {
      variants[name] = render(dir, used);
    } catch (error) {
      fail(name, error.message);
      continue;
    }
    for (const obj of variants[name]) {
      await validateObject(obj, name);
    }
  }
  for (const file of yamlFilesUnder(root).filter((f) => !used.has(f)).sort()) {
    const name = path.relative(root, file);
    files[name] = readYamlDocuments(file);
    for (const obj of files[name]) {
      await validateObject(obj, name);
    }
  }
  if (problems.length) {
    process.stderr.write(`${problems.join('\n')}\n`);
    process.exit(1);
  }
  process.stdout.write(JSON.stringify({ variants, files }));
}

await main();
