/**
 * kestrun-ts: Kestrun's cmdlets as TypeScript functions. A server is a script of cmdlet calls that builds
 * an immutable definition and ends in a Hono app served by Node.
 * @module
 */
export { newKrLogger } from './cmdlets/logging/New-KrLogger.ts';
export { setKrLoggerLevel } from './cmdlets/logging/Set-KrLoggerLevel.ts';
export { addKrSinkConsole } from './cmdlets/logging/Add-KrSinkConsole.ts';
export { registerKrLogger } from './cmdlets/logging/Register-KrLogger.ts';
export { closeKrLogger } from './cmdlets/logging/Close-KrLogger.ts';
export { KrLoggerConfig } from './runtime/logging/logger-pipeline.ts';

export { newKrServer } from './cmdlets/server/New-KrServer.ts';
export { addKrEndpoint } from './cmdlets/server/Add-KrEndpoint.ts';
export { enableKrConfiguration } from './cmdlets/server/Enable-KrConfiguration.ts';
export { startKrServer } from './cmdlets/server/Start-KrServer.ts';
export { stopKrServer } from './cmdlets/server/Stop-KrServer.ts';

export { addKrMapRoute } from './cmdlets/route/Add-KrMapRoute.ts';
export { getKrRequestQuery } from './cmdlets/request/Get-KrRequestQuery.ts';
export { writeKrJsonResponse } from './cmdlets/response/Write-KrJsonResponse.ts';
export { writeKrTextResponse } from './cmdlets/response/Write-KrTextResponse.ts';

export { newKrCookieBuilder } from './cmdlets/cookies/New-KrCookieBuilder.ts';
export { addKrSession } from './cmdlets/session/Add-KrSession.ts';
export type { KrSessionOptions } from './cmdlets/session/Add-KrSession.ts';
export { addKrDistributedRedisCache } from './cmdlets/session/Add-KrDistributedRedisCache.ts';
export type { KrRedisCacheOptions } from './cmdlets/session/Add-KrDistributedRedisCache.ts';
export { getKrSessionInt32 } from './cmdlets/session/Get-KrSessionInt32.ts';
export { setKrSessionInt32 } from './cmdlets/session/Set-KrSessionInt32.ts';
export { getKrSessionString } from './cmdlets/session/Get-KrSessionString.ts';
export { setKrSessionString } from './cmdlets/session/Set-KrSessionString.ts';
export { getKrSessionByte } from './cmdlets/session/Get-KrSessionByte.ts';
export { setKrSessionByte } from './cmdlets/session/Set-KrSessionByte.ts';
export { removeKrSession } from './cmdlets/session/Remove-KrSession.ts';
export { clearKrSession } from './cmdlets/session/Clear-KrSession.ts';

export { scriptParameters } from './runtime/script/script-parameters.ts';
export { listeningUrls } from './runtime/server/listening-urls.ts';
export { resetKrRuntimeForTests } from './runtime/runtime-state.ts';
export { KrCmdletError, KrParameterBindingError } from './runtime/binding/cmdlet-error.ts';
export type { KrContext, KrServerHandle } from './runtime/context/kr-context.ts';
export type { KrLogger } from './runtime/logging/kr-logger.ts';
export { KrLoggerBase } from './runtime/logging/kr-logger.ts';
export type { LogLevel } from './runtime/logging/log-level.ts';
export type { CookieBuilder } from './runtime/cookies/cookie-builder.ts';
export type { RedisConfigurationOptions } from './runtime/cache/redis/configuration-options.ts';
export type { ServerDefinition, RouteHandler } from './runtime/host/server-definition.ts';
