import { cmdletErrorFrom, KrCmdletError } from '../../runtime/binding/cmdlet-error.ts';
import { defineCmdlet } from '../../runtime/binding/define-cmdlet.ts';
import { timeSpanParameter } from '../../runtime/binding/number-parameters.ts';
import { switchParameter } from '../../runtime/binding/switch-and-object-parameters.ts';
import { enumParameter, stringArrayParameter, stringParameter } from '../../runtime/binding/text-parameters.ts';
import { createCookieBuilder } from '../../runtime/cookies/cookie-builder.ts';
import type { CookieBuilder } from '../../runtime/cookies/cookie-builder.ts';

const CMDLET = 'New-KrCookieBuilder';

export const newKrCookieBuilderParameters = {
  name: stringParameter(),
  domain: stringParameter(),
  path: stringParameter(),
  httpOnly: switchParameter(),
  isEssential: switchParameter(),
  maxAge: timeSpanParameter(),
  expiration: timeSpanParameter(),
  securePolicy: enumParameter(['SameAsRequest', 'Always', 'None'], 'Microsoft.AspNetCore.Http.CookieSecurePolicy'),
  sameSite: enumParameter(['Unspecified', 'None', 'Lax', 'Strict'], 'Microsoft.AspNetCore.Http.SameSiteMode'),
  extensions: stringArrayParameter(),
};

/**
 * New-KrCookieBuilder: an immutable cookie builder. Only the properties given are set; the rest keep
 * ASP.NET's CookieBuilder defaults (no name, path /, not HttpOnly, SameSite unspecified, SecurePolicy
 * SameAsRequest). Numbers are seconds and strings TimeSpans for maxAge and expiration, as in Kestrun.
 */
export const newKrCookieBuilder = defineCmdlet(CMDLET, newKrCookieBuilderParameters, ({ values }): CookieBuilder => {
  if (values.name === '') {
    throw new KrCmdletError(CMDLET, 'The cookie name cannot be empty.', { parameter: 'Name' });
  }
  try {
    return createCookieBuilder({
      ...(values.name === undefined ? {} : { name: values.name }),
      ...(values.domain === undefined ? {} : { domain: values.domain }),
      ...(values.path === undefined ? {} : { path: values.path }),
      ...(values.httpOnly === undefined ? {} : { httpOnly: values.httpOnly }),
      ...(values.isEssential === undefined ? {} : { isEssential: values.isEssential }),
      ...(values.maxAge === undefined ? {} : { maxAgeMs: values.maxAge }),
      ...(values.expiration === undefined ? {} : { expirationMs: values.expiration }),
      ...(values.securePolicy === undefined ? {} : { securePolicy: values.securePolicy }),
      ...(values.sameSite === undefined ? {} : { sameSite: values.sameSite }),
      ...(values.extensions === undefined ? {} : { extensions: values.extensions }),
    });
  } catch (error) {
    throw cmdletErrorFrom(CMDLET, error);
  }
});
