// The OpenADR 3.x VTN case list (the harness plays business logic and a VEN), per object and role.
// IDs: <object>3_<NNNN>_TH_<role>: A auth, P programs, E events, V VENs and resources, R reports,
// S subscriptions, X errors; TH_BL the harness acts as business logic, TH_VEN as a VEN client.
import { cases as auth } from './auth.js';
import type { Vtn3Case } from './common.js';
import { cases as errors } from './errors.js';
import { cases as events } from './events.js';
import { cases as programs } from './programs.js';
import { cases as reports } from './reports.js';
import { cases as subscriptions } from './subscriptions.js';
import { cases as vens } from './vens.js';

export type { Vtn3Case } from './common.js';

export const vtn3Cases: readonly Vtn3Case[] = [...auth, ...programs, ...events, ...vens, ...reports, ...subscriptions, ...errors];
