// Settings → Team: who works in the business and with which role, and the invitations. Owners invite (the answer's
// join link can be copied and passed on), change roles (with the member's version as If-Match: two owners at once
// cannot overwrite each other), remove members and withdraw pending invitations. Everyone may leave a business they
// did not found; members and accountants see the team read only.
import { useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, newIdempotencyKey } from '../api/client';
import type { Invitation, InvitationInput, Member, Role, Team } from '../api/types';
import { useBusiness, useQueryKeys } from '../app/business';
import { useApi, useSession } from '../app/session';
import { usePageTitle } from '../app/usePageTitle';
import { formatDate } from '../format/format';
import { SettingsTabs } from '../settings/SettingsTabs';
import { Dialog } from '../ui/Dialog';
import { Alert, ErrorState, Loading, errorMessage, useToast } from '../ui/feedback';
import { SelectField, TextField } from '../ui/fields';
import { applyServerErrors } from '../ui/serverErrors';
import { businessName, ownBusiness, roleDescription, roleLabel, roles, withArticle } from './roles';

export function TeamPage() {
  usePageTitle('Team');
  const api = useApi();
  const keys = useQueryKeys();
  const { business, can } = useBusiness();
  const team = useQuery({ queryKey: keys.team, queryFn: ({ signal }) => api.getTeam(signal) });
  return (
    <div className="page page--narrow">
      <div className="page__header">
        <h1>Settings</h1>
      </div>
      <SettingsTabs />
      {can.team ? null : (
        <Alert kind="info">
          You are {withArticle(business.role)} of {businessName(business)}: you can see who works in it; only an owner can invite, change roles or remove
          members.
        </Alert>
      )}
      {team.isPending ? (
        <Loading lines={6} label="Loading the team…" />
      ) : team.isError ? (
        <ErrorState error={team.error} onRetry={() => team.refetch()} />
      ) : (
        <>
          <MembersCard team={team.data} onReload={() => team.refetch()} />
          {can.team ? <InviteCard /> : null}
          <InvitationsCard team={team.data} />
        </>
      )}
    </div>
  );
}

// ---------------------------------------------------------------- members

function MembersCard(props: { team: Team; onReload: () => void }) {
  const { team } = props;
  const { user } = useSession();
  // The API names a member by the verified address it knows; the signed-in user's own is known here anyway.
  const members = team.members.map((m) => (m.you && !m.email && user ? { ...m, email: user.email } : m));
  const owner = team.yourRole === 'owner';
  const [removing, setRemoving] = useState<Member | null>(null);
  return (
    <section className="card" aria-labelledby="members-title">
      <h2 id="members-title" className="card__title">
        Members <span className="muted">({members.length})</span>
      </h2>
      <ul className="people" aria-labelledby="members-title">
        {members.map((m) => (
          <MemberRow key={`${m.userId}:${m.version}`} member={m} canManage={owner} onRemove={() => setRemoving(m)} onReload={props.onReload} />
        ))}
      </ul>
      <p className="muted small">
        {roles.map((r) => (
          <span key={r} className="role-note">
            <strong>{roleLabel[r]}:</strong> {roleDescription[r]}{' '}
          </span>
        ))}
      </p>
      <RemoveDialog member={removing} onClose={() => setRemoving(null)} />
    </section>
  );
}

// The API gives the founder's address only to the founder themselves.
const memberName = (m: Member) => m.email ?? (m.founder ? 'The founder' : 'A member');

function MemberRow(props: { member: Member; canManage: boolean; onRemove: () => void; onReload: () => void }) {
  const { member } = props;
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const [role, setRole] = useState<Role>(member.role);
  const change = useMutation({
    mutationFn: (next: Role) => api.changeRole(member, next),
    onSuccess: (saved) => {
      queryClient.setQueryData<Team>(keys.team, (team) =>
        team && { ...team, members: team.members.map((m) => (m.userId === saved.data.userId ? saved.data : m)) },
      );
      toast(`${memberName(member)} is now ${withArticle(saved.data.role)}.`);
    },
  });
  const error = change.error instanceof ApiError ? change.error : null;
  const roleError = error?.fieldErrors.role;
  // The founder stays owner; nobody changes their own role here (an owner hands over by making someone else owner).
  const editable = props.canManage && !member.founder && !member.you;
  const selectId = `role-${member.userId}`;
  return (
    <li className="person">
      <div className="person__who">
        <span className="person__name">{memberName(member)}</span>
        <span className="person__badges">
          {member.you ? <span className="badge badge--you">You</span> : null}
          {member.founder && member.email ? <span className="badge">Founder</span> : null}
        </span>
        <span className="muted small">{member.joinedAt ? `Joined ${formatDate(member.joinedAt.slice(0, 10))}` : member.founder ? 'Founded the business' : ''}</span>
      </div>
      <div className="person__role">
        {editable ? (
          <form
            className="role-form"
            onSubmit={(event) => {
              event.preventDefault();
              change.mutate(role);
            }}
          >
            <SelectField
              id={selectId}
              label={`Role of ${memberName(member)}`}
              hideLabel
              value={role}
              error={roleError}
              onChange={(event) => {
                setRole(event.target.value as Role);
                change.reset();
              }}
            >
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleLabel[r]}
                </option>
              ))}
            </SelectField>
            {role !== member.role ? (
              <button type="submit" className="button button--small button--primary" disabled={change.isPending}>
                {change.isPending ? 'Saving…' : 'Save role'}
              </button>
            ) : null}
          </form>
        ) : (
          <span className="role-chip">{roleLabel[member.role] ?? member.role}</span>
        )}
      </div>
      <div className="person__actions">
        {editable ? (
          <button type="button" className="button button--small button--danger-ghost" aria-label={`Remove ${memberName(member)}`} onClick={props.onRemove}>
            Remove
          </button>
        ) : null}
        {member.you && !member.founder ? <LeaveButton /> : null}
      </div>
      {error && !roleError ? (
        <div className="person__error">
          {error.isStale ? (
            <Alert
              kind="warning"
              title="Someone changed this member first"
              actions={
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => {
                    change.reset();
                    setRole(member.role);
                    props.onReload();
                  }}
                >
                  Reload
                </button>
              }
            >
              Nothing was saved. Reload to see their role now, then change it again if you still want to.
            </Alert>
          ) : (
            <Alert kind="error">{errorMessage(error)}</Alert>
          )}
        </div>
      ) : null}
    </li>
  );
}

function RemoveDialog(props: { member: Member | null; onClose: () => void }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { business } = useBusiness();
  const remove = useMutation({
    mutationFn: (m: Member) => api.removeMember(m.userId),
    onSuccess: (_, m) => {
      void queryClient.invalidateQueries({ queryKey: keys.team });
      toast(`${memberName(m)} is removed.`);
      close();
    },
  });
  const close = () => {
    remove.reset();
    props.onClose();
  };
  const m = props.member;
  return (
    <Dialog open={Boolean(m)} title={`Remove ${m ? memberName(m) : 'member'}?`} onClose={close}>
      <p>
        They lose access to {businessName(business)} at once: their next step in it is refused. Their own business and everything in{' '}
        {businessName(business)} stay as they are. To bring them back, invite them again.
      </p>
      {remove.isError ? <Alert kind="error">{errorMessage(remove.error)}</Alert> : null}
      <div className="dialog__actions">
        <button type="button" className="button" onClick={close}>
          Cancel
        </button>
        <button type="button" className="button button--danger" disabled={remove.isPending} onClick={() => m && remove.mutate(m)}>
          Remove
        </button>
      </div>
    </Dialog>
  );
}

function LeaveButton() {
  const api = useApi();
  const toast = useToast();
  const { business, me, switchTo } = useBusiness();
  const [open, setOpen] = useState(false);
  const leave = useMutation({
    mutationFn: async () => {
      await api.removeMember(me.userId);
      // Read /me before switching, so the business is gone from the list the moment the user's own one opens.
      return api.getMe();
    },
    onSuccess: (fresh) => {
      toast(`You left ${businessName(business)}.`);
      const own = ownBusiness(fresh);
      if (own) switchTo(own.id, fresh);
    },
  });
  const close = () => {
    leave.reset();
    setOpen(false);
  };
  return (
    <>
      <button type="button" className="button button--small button--danger-ghost" onClick={() => setOpen(true)}>
        Leave this business
      </button>
      <Dialog open={open} title={`Leave ${businessName(business)}?`} onClose={close}>
        <p>You will no longer see its invoices, customers or settings. To come back you need a new invitation from an owner.</p>
        {leave.isError ? <Alert kind="error">{errorMessage(leave.error)}</Alert> : null}
        <div className="dialog__actions">
          <button type="button" className="button" onClick={close}>
            Stay
          </button>
          <button type="button" className="button button--danger" disabled={leave.isPending} onClick={() => leave.mutate()}>
            Leave
          </button>
        </div>
      </Dialog>
    </>
  );
}

// ---------------------------------------------------------------- inviting

interface InviteForm {
  email: string;
  role: Role;
}

function InviteCard() {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const idempotencyKey = useRef(newIdempotencyKey());
  const [sent, setSent] = useState<Invitation | null>(null);
  const { register, handleSubmit, setError, formState, reset, watch } = useForm<InviteForm>({ defaultValues: { email: '', role: 'member' } });
  const invite = useMutation({
    mutationFn: (input: InvitationInput) => api.invite(input, idempotencyKey.current),
    onSuccess: (invitation) => {
      idempotencyKey.current = newIdempotencyKey();
      setSent(invitation);
      reset({ email: '', role: invitation.role });
      void queryClient.invalidateQueries({ queryKey: keys.team });
    },
    onError: (error) => applyServerErrors(error, setError, (path) => (path === 'email' || path === 'role' ? path : null)),
  });
  const submit = handleSubmit((values) => {
    setSent(null);
    invite.mutate({ email: values.email.trim(), role: values.role });
  });
  const e = formState.errors;
  const error = invite.error instanceof ApiError ? invite.error : null;
  // Problems whose every field error sits next to its field need no second line above the form.
  const placed = error && Object.keys(error.fieldErrors).length > 0 && Object.keys(error.fieldErrors).every((p) => p === 'email' || p === 'role');
  return (
    <section className="card" aria-labelledby="invite-title">
      <h2 id="invite-title" className="card__title">
        Invite someone
      </h2>
      <p className="muted small">They get an e-mail with a link to join, valid for 7 days. Only someone signed in with that address can use it.</p>
      {sent?.link ? <InvitationSent invitation={sent} onDone={() => setSent(null)} /> : null}
      <form className="invite-form" noValidate onSubmit={submit} aria-label="Invite someone">
        {invite.isError && !placed ? <Alert kind="error">{errorMessage(invite.error)}</Alert> : null}
        <div className="form-grid">
          <TextField
            label="E-mail address"
            type="email"
            autoComplete="off"
            error={e.email?.message}
            {...register('email', { required: 'Enter the e-mail address to invite.', onChange: () => invite.reset() })}
          />
          <SelectField label="Role" hint={roleDescription[watch('role')]} error={e.role?.message} {...register('role')}>
            {roles.map((r) => (
              <option key={r} value={r}>
                {roleLabel[r]}
              </option>
            ))}
          </SelectField>
        </div>
        <div className="form-actions">
          <button type="submit" className="button button--primary" disabled={invite.isPending}>
            {invite.isPending ? 'Inviting…' : 'Send invitation'}
          </button>
        </div>
      </form>
    </section>
  );
}

function InvitationSent(props: { invitation: Invitation; onDone: () => void }) {
  const { invitation } = props;
  const [copied, setCopied] = useState<'yes' | 'no' | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(invitation.link ?? '');
      setCopied('yes');
    } catch {
      // No clipboard (an insecure origin, or permission refused): select the link for the user to copy.
      input.current?.select();
      setCopied('no');
    }
  };
  return (
    <Alert
      kind="success"
      title={`Invitation sent to ${invitation.email} as ${withArticle(invitation.role)}`}
      actions={
        <button type="button" className="button button--small" onClick={props.onDone}>
          Done
        </button>
      }
    >
      <p>The e-mail carries this link; you can pass it on yourself too.</p>
      <div className="copy-link">
        <TextField ref={input} label="Join link" readOnly value={invitation.link ?? ''} onFocus={(event) => event.currentTarget.select()} />
        <button type="button" className="button" onClick={copy}>
          {copied === 'yes' ? 'Copied' : 'Copy link'}
        </button>
      </div>
      <p className="visually-hidden" role="status">
        {copied === 'yes' ? 'The link is copied.' : copied === 'no' ? 'The link is selected: copy it with your keyboard.' : ''}
      </p>
    </Alert>
  );
}

// ---------------------------------------------------------------- invitations

const statusLabel: Record<Invitation['status'], string> = { pending: 'Pending', accepted: 'Accepted', revoked: 'Withdrawn', expired: 'Expired' };

function invitationWhen(i: Invitation): string {
  const day = (iso: string) => formatDate(iso.slice(0, 10));
  switch (i.status) {
    case 'pending':
      return `Sent ${day(i.createdAt)}, expires ${day(i.expiresAt)}`;
    case 'accepted':
      return i.acceptedAt ? `Accepted ${day(i.acceptedAt)}` : `Sent ${day(i.createdAt)}`;
    case 'expired':
      return `Expired ${day(i.expiresAt)}`;
    default:
      return `Sent ${day(i.createdAt)}`;
  }
}

function InvitationsCard(props: { team: Team }) {
  const api = useApi();
  const keys = useQueryKeys();
  const queryClient = useQueryClient();
  const toast = useToast();
  const owner = props.team.yourRole === 'owner';
  const revoke = useMutation({
    mutationFn: (i: Invitation) => api.revokeInvitation(i.id),
    onSuccess: (_, i) => {
      toast(`The invitation for ${i.email} is withdrawn.`);
      void queryClient.invalidateQueries({ queryKey: keys.team });
    },
  });
  const invitations = props.team.invitations;
  return (
    <section className="card" aria-labelledby="invitations-title">
      <h2 id="invitations-title" className="card__title">
        Invitations
      </h2>
      {revoke.isError ? <Alert kind="error">{errorMessage(revoke.error)}</Alert> : null}
      {invitations.length === 0 ? (
        <p className="muted">No invitations yet.</p>
      ) : (
        <ul className="people" aria-labelledby="invitations-title">
          {invitations.map((i) => (
            <li key={i.id} className="person">
              <div className="person__who">
                <span className="person__name">{i.email}</span>
                <span className="muted small">{invitationWhen(i)}</span>
              </div>
              <div className="person__role">
                <span className="role-chip">{roleLabel[i.role] ?? i.role}</span>
                <span className={`chip chip--invitation-${i.status}`}>{statusLabel[i.status] ?? i.status}</span>
              </div>
              <div className="person__actions">
                {owner && i.status === 'pending' ? (
                  <button
                    type="button"
                    className="button button--small button--danger-ghost"
                    aria-label={`Withdraw the invitation for ${i.email}`}
                    disabled={revoke.isPending && revoke.variables?.id === i.id}
                    onClick={() => revoke.mutate(i)}
                  >
                    Withdraw
                  </button>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
