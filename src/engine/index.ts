/**
 * The Docker Engine client. Knows nothing about Compose: endpoints, API versions, resources,
 * streams and typed errors. Import from here; commands load it lazily (inside run()).
 */
export {EngineClient, type EngineClientOptions, type EngineRequest} from './client.js'
export {discoverEndpoint, parseHost, DEFAULT_HOST, DISCOVERY_CHAIN, EngineConfigError, type Endpoint, type DiscoveryInput, type DiscoveryStrategy, type TlsMaterial} from './endpoint.js'
export {
  API_FEATURES,
  CLIENT_MAX_API,
  CLIENT_MIN_API,
  CONTAINER_CREATE_FIELDS,
  EXEC_CREATE_FIELDS,
  NETWORK_CREATE_FIELDS,
  apiAtLeast,
  apiSupports,
  compareApiVersions,
  dropUnsupportedFields,
  negotiateApiVersion,
  type ApiFeature,
  type VersionedField,
} from './api-version.js'
export * from './errors.js'
export type {HijackedStream} from './hijack.js'
export {FrameDecoder, RawDecoder, encodeFrame, outputDecoder, type OutputChunk, type OutputStreamName} from './streams/frames.js'
export {JsonLinesDecoder, followProgress, type ProgressMessage, type ProgressResult} from './streams/json-lines.js'
export {CONTAINER_MEANINGS, type AttachOptions, type ListContainersOptions, type LogsOptions, type StartResult, type StopResult} from './resources/containers.js'
export {EXEC_MEANINGS} from './resources/exec.js'
export {IMAGE_MEANINGS, parseImageReference, type ImageReference, type RegistryAuth, type TarInput} from './resources/images.js'
export {NETWORK_MEANINGS} from './resources/networks.js'
export {VOLUME_MEANINGS} from './resources/volumes.js'
export type * from './types.js'
export {connectTerminal, type TerminalOptions} from './terminal.js'
export {DOCKER_HUB_AUTH_KEY, registryOf, resolveRegistryAuth, type AuthLookup} from './registry-auth.js'
