import { newZoomId, randomAlnum } from './random';

/** A Zoom user as the emulator keeps it. */
export interface ZoomUser {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  account_id: string;
  timezone: string;
  type: number;
  created_at: string;
  pmi: number;
  deleted: boolean;
}

export interface NewUser {
  id?: string;
  email?: string;
  first_name?: string;
  last_name?: string;
  account_id?: string;
  timezone?: string;
}

/** The user a newcomer consents as when nobody said otherwise. */
export const DEMO_USER: Required<NewUser> = {
  id: 'ZoomDemoTutor000000001',
  email: 'demo.tutor@example.com',
  first_name: 'Demo',
  last_name: 'Tutor',
  account_id: 'ZoomDemoAccount0000001',
  timezone: 'UTC',
};

export class UserDirectory {
  private readonly users = new Map<string, ZoomUser>();
  /** Live users by lower-case email. */
  private readonly emails = new Map<string, string>();

  constructor(private readonly nowIso: () => string) {}

  create(input: NewUser = {}): ZoomUser {
    const id = input.id ?? newZoomId();
    const existing = this.users.get(id);
    if (existing && !existing.deleted) throw new Error(`Zoom user ${id} already exists`);
    const email = (input.email ?? `${id.toLowerCase()}@zoom-emulator.test`).toLowerCase();
    if (this.byEmail(email)) throw new Error(`A Zoom user with email ${email} already exists`);
    const user: ZoomUser = {
      id,
      email,
      first_name: input.first_name ?? 'Test',
      last_name: input.last_name ?? randomAlnum(6),
      account_id: input.account_id ?? newZoomId(),
      timezone: input.timezone ?? 'UTC',
      type: 2,
      created_at: this.nowIso(),
      pmi: 1_000_000_000 + Math.floor(Math.random() * 8_999_999_999),
      deleted: false,
    };
    this.users.set(id, user);
    this.emails.set(email, id);
    return user;
  }

  /** A live user by id or email (the REST paths accept both). */
  find(idOrEmail: string): ZoomUser | undefined {
    const user = this.users.get(idOrEmail) ?? this.byEmail(idOrEmail.toLowerCase());
    return user && !user.deleted ? user : undefined;
  }

  /** Marks the user deleted; its tokens still parse but every call answers 1001. */
  delete(id: string): boolean {
    const user = this.find(id);
    if (!user) return false;
    user.deleted = true;
    this.emails.delete(user.email);
    return true;
  }

  list(): ZoomUser[] {
    return [...this.users.values()].filter((u) => !u.deleted);
  }

  toJSON(): ZoomUser[] {
    return [...this.users.values()];
  }

  restore(users: ZoomUser[]): void {
    this.users.clear();
    this.emails.clear();
    for (const user of users) {
      this.users.set(user.id, user);
      if (!user.deleted) this.emails.set(user.email, user.id);
    }
  }

  private byEmail(email: string): ZoomUser | undefined {
    const id = this.emails.get(email);
    return id === undefined ? undefined : this.users.get(id);
  }
}

/** The `GET /users/me` body. */
export function userResource(user: ZoomUser, baseUrl: string): Record<string, unknown> {
  return {
    id: user.id,
    first_name: user.first_name,
    last_name: user.last_name,
    display_name: `${user.first_name} ${user.last_name}`,
    email: user.email,
    type: user.type,
    role_name: 'Owner',
    pmi: user.pmi,
    use_pmi: false,
    personal_meeting_url: `${baseUrl}/j/${user.pmi}`,
    timezone: user.timezone,
    verified: 1,
    dept: '',
    created_at: user.created_at,
    user_created_at: user.created_at,
    last_login_time: user.created_at,
    language: 'en-US',
    phone_number: '',
    status: 'active',
    role_id: '0',
    account_id: user.account_id,
    account_number: 10000000 + (user.pmi % 89999999),
    cluster: 'us06',
    login_types: [100],
  };
}
