import { vtnCase } from './scenarios/common.js';
import { venCancels } from './scenarios/registration.js';

export default vtnCase({
  id: 'N0_5030_TH_VEN', delivery: 'push',
  title: 'VEN Registration - Cancel Registration',
  requirement: 'oadrCancelPartyRegistration from the VEN is answered with oadrCanceledPartyRegistration 200 naming the registration; later payloads are refused with 463.',
  run: venCancels,
});
