// IAM in the emulated world: who the caller is, and the identity policies of users and roles.
// Evaluation follows IAM's basic rule: an explicit Deny wins, then any Allow, else an implicit
// deny. Actions and resources match with `*` and `?` wildcards, actions case-insensitively.

export interface PolicyStatement {
  Effect: 'Allow' | 'Deny';
  Action: string | string[];
  /** Default `*`. */
  Resource?: string | string[];
}

export interface IamWorld {
  /** The ARN STS reports for the fake credentials; default `arn:aws:iam::<account>:user/emulator`.
   * An assumed-role ARN is authorized by its role's policies. */
  caller?: string;
  /** Identity policy statements by principal ARN (`arn:aws:iam::<account>:role/<path><name>`). */
  policies?: Record<string, PolicyStatement[]>;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny';

export function evaluate(
  statements: PolicyStatement[] | undefined,
  action: string,
  resource: string,
): Decision {
  const matching = (statements ?? []).filter(
    (s) =>
      list(s.Action).some((a) => wildcard(a, action, true)) &&
      list(s.Resource ?? '*').some((r) => wildcard(r, resource, false)),
  );
  if (matching.some((s) => s.Effect === 'Deny')) return 'explicitDeny';
  return matching.some((s) => s.Effect === 'Allow') ? 'allowed' : 'implicitDeny';
}

/** The key of `arn`'s policies: itself, or for an assumed role the role it was assumed from. */
export function principalKey(iam: IamWorld | undefined, arn: string): string | undefined {
  const policies = iam?.policies ?? {};
  if (policies[arn]) return arn;
  const assumed = /^arn:aws:sts::\d+:assumed-role\/([^/]+)\//.exec(arn);
  const roleName = assumed?.[1];
  if (!roleName) return undefined;
  return Object.keys(policies).find((key) => roleNameOf(key) === roleName);
}

/** `Name` of `arn:aws:iam::<account>:role/<path>Name`, or undefined for other ARNs. */
export function roleNameOf(arn: string): string | undefined {
  const match = /^arn:aws:iam::\d+:role\/(?:.*\/)?([^/]+)$/.exec(arn);
  return match?.[1];
}

/** What `principal` may do, from the world's policies (none known: implicit deny). */
export function decide(
  iam: IamWorld | undefined,
  principal: string,
  action: string,
  resource: string,
): Decision {
  const key = principalKey(iam, principal);
  return evaluate(key ? iam?.policies?.[key] : undefined, action, resource);
}

function list(value: string | string[]): string[] {
  return Array.isArray(value) ? value : [value];
}

function wildcard(pattern: string, value: string, ignoreCase: boolean): boolean {
  const source = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\/]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, ignoreCase ? 'i' : '').test(value);
}
