/**
 * Every object the kube plugin makes is checked against the Kubernetes OpenAPI schemas before it
 * is printed or sent. The checks are kubernetes-models' validators: ajv code compiled from the
 * API's own OpenAPI definitions, one module per kind, loaded only for the kinds at hand (about
 * 0.1 s for all of them, so never at start-up).
 *
 * An object that fails is Berth's bug, not the user's: the error names the object, the JSON
 * path and the schema's message, and asks for a report.
 */
import {existsSync} from 'node:fs'
import {createRequire} from 'node:module'
import {fileURLToPath} from 'node:url'
import {BerthError} from '../sdk/index.js'
import type {Kind, KubeObject} from './types.js'

interface ValidationFailure {
  instancePath?: string
  message?: string
  params?: Record<string, unknown>
}

type Validator = (object: KubeObject) => ValidationFailure[]

/** A model class of kubernetes-models: `new Model(data).validate()` throws with `errors`. */
type ModelClass = new (data: object) => {validate(): void}

const LOADERS: Record<Kind, () => Promise<ModelClass>> = {
  Namespace: async () => (await import('kubernetes-models/v1/Namespace')).Namespace as unknown as ModelClass,
  Service: async () => (await import('kubernetes-models/v1/Service')).Service as unknown as ModelClass,
  Secret: async () => (await import('kubernetes-models/v1/Secret')).Secret as unknown as ModelClass,
  ConfigMap: async () => (await import('kubernetes-models/v1/ConfigMap')).ConfigMap as unknown as ModelClass,
  PersistentVolumeClaim: async () => (await import('kubernetes-models/v1/PersistentVolumeClaim')).PersistentVolumeClaim as unknown as ModelClass,
  Pod: async () => (await import('kubernetes-models/v1/Pod')).Pod as unknown as ModelClass,
  Deployment: async () => (await import('kubernetes-models/apps/v1/Deployment')).Deployment as unknown as ModelClass,
  DaemonSet: async () => (await import('kubernetes-models/apps/v1/DaemonSet')).DaemonSet as unknown as ModelClass,
  StatefulSet: async () => (await import('kubernetes-models/apps/v1/StatefulSet')).StatefulSet as unknown as ModelClass,
  NetworkPolicy: async () => (await import('kubernetes-models/networking.k8s.io/v1/NetworkPolicy')).NetworkPolicy as unknown as ModelClass,
}

/**
 * `npm run build` bundles the model classes of these kinds into dist/plugins/kube/models.cjs
 * (scripts/bundle-cli.mjs), which src/code-cache.ts runs with V8's code cache: one file instead of
 * ~200 modules. Without it (tests on the TypeScript sources) each kind loads from the package.
 */
let bundled: Promise<Partial<Record<Kind, ModelClass>>> | undefined
function bundledModels(): Promise<Partial<Record<Kind, ModelClass>>> {
  bundled ??= (async () => {
    const bundle = fileURLToPath(new URL('./models.cjs', import.meta.url))
    if (!existsSync(bundle)) return {}
    try {
      const {loadBundle} = await import('../../code-cache.js')
      return loadBundle(bundle, createRequire(import.meta.url).resolve('kubernetes-models/v1/Namespace').replace(/Namespace\.js$/, 'berth-models.cjs')) as Partial<Record<Kind, ModelClass>>
    } catch {
      return {}
    }
  })()
  return bundled
}

const validators = new Map<string, Promise<Validator>>()

async function validatorFor(kind: string): Promise<Validator> {
  let found = validators.get(kind)
  if (!found) {
    const load = (LOADERS as Record<string, (() => Promise<ModelClass>) | undefined>)[kind]
    if (!load) throw new BerthError('KUBE_KIND_UNKNOWN', `no schema for kind ${kind} (a Berth bug: please report it)`)
    const model = bundledModels().then((models) => models[kind as Kind] ?? load())
    found = model.then((Model) => (object: KubeObject) => {
      // The constructor copies the fields; apiVersion and kind come from the model, so compare them too.
      const model = new Model(object) as {validate(): void; apiVersion?: string}
      if (model.apiVersion !== object.apiVersion) return [{instancePath: '/apiVersion', message: `must be ${model.apiVersion}`}]
      try {
        model.validate()
        return []
      } catch (error) {
        const errors = (error as {errors?: ValidationFailure[]}).errors
        return errors && errors.length > 0 ? errors : [{instancePath: '', message: (error as Error).message}]
      }
    })
    validators.set(kind, found)
  }
  return found
}

/** Problems of one object, as `path: message` lines (empty when it is valid). */
export async function schemaProblems(object: KubeObject): Promise<string[]> {
  const validate = await validatorFor(object.kind)
  return validate(object).map((e) => `${e.instancePath || '/'}: ${e.message ?? 'is invalid'}${e.params && 'allowedValues' in e.params ? ` (${(e.params.allowedValues as unknown[]).join(', ')})` : ''}`)
}

/** Throws on the first object that does not match its schema. */
export async function validateObjects(objects: readonly KubeObject[]): Promise<void> {
  await Promise.all([...new Set(objects.map((o) => o.kind))].map((kind) => validatorFor(kind)))
  for (const object of objects) {
    const problems = await schemaProblems(object)
    if (problems.length === 0) continue
    throw new BerthError('KUBE_MANIFEST_INVALID', `generated ${object.kind} ${object.metadata?.name ?? '(no name)'} does not match the Kubernetes schema: ${problems[0]}`, {
      hints: [...(problems.length > 1 ? [`and ${problems.length - 1} more: ${problems.slice(1, 4).join('; ')}`] : []), 'this is a Berth bug: please report it with the Compose file'],
    })
  }
}
