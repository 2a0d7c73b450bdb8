import * as kestrun from '../index.ts';
import { cmdletDeclaration } from '../runtime/binding/define-cmdlet.ts';
import type { AnyParameter } from '../runtime/binding/parameter.ts';

/** A cmdlet parameter as a .ps1 call names it. */
export interface CatalogParameter {
  /** The camelCase key a converted call passes. */
  readonly key: string;
  /** The PowerShell name, as errors spell it. */
  readonly psName: string;
  readonly declaration: AnyParameter;
}

/** A cmdlet a .ps1 may call: its kestrun-ts export and the binder's declarations of its parameters. */
export interface CatalogCmdlet {
  readonly psName: string;
  readonly exportName: string;
  readonly async: boolean;
  readonly parameters: readonly CatalogParameter[];
  /** Set when a pipeline into this cmdlet reads as a method call on the piped value (the logger chain). */
  readonly pipelineMethod: boolean;
}

function psNameOf(key: string, parameter: AnyParameter): string {
  return parameter.psName ?? key.charAt(0).toUpperCase() + key.slice(1);
}

/** Methods of exported classes named like cmdlets: `KrLoggerConfig.prototype.addKrSinkConsole`. */
function pipelineMethods(): ReadonlySet<string> {
  const names = new Set<string>();
  for (const value of Object.values(kestrun)) {
    if (typeof value !== 'function' || cmdletDeclaration(value) !== undefined) continue;
    const prototype: unknown = value.prototype;
    if (typeof prototype === 'object' && prototype !== null) {
      for (const name of Object.getOwnPropertyNames(prototype)) if (name !== 'constructor') names.add(name);
    }
  }
  return names;
}

function buildCatalog(): ReadonlyMap<string, CatalogCmdlet> {
  const methods = pipelineMethods();
  const catalog = new Map<string, CatalogCmdlet>();
  for (const [exportName, value] of Object.entries(kestrun)) {
    const declaration = cmdletDeclaration(value);
    if (declaration === undefined) continue;
    const parameters = Object.entries(declaration.parameters).map(([key, parameter]) => ({
      key,
      psName: psNameOf(key, parameter),
      declaration: parameter,
    }));
    catalog.set(declaration.name.toLowerCase(), {
      psName: declaration.name,
      exportName,
      async: declaration.async,
      parameters,
      pipelineMethod: methods.has(exportName),
    });
  }
  return catalog;
}

let catalog: ReadonlyMap<string, CatalogCmdlet> | undefined;

/** The cmdlet that a name (any case) calls, read from the package's exports; undefined when kestrun-ts has none. */
export function findCmdlet(name: string): CatalogCmdlet | undefined {
  catalog ??= buildCatalog();
  return catalog.get(name.toLowerCase());
}
