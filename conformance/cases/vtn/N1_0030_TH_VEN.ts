import { vtnCase } from './scenarios/common.js';
import { venCancels } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0030_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Cancel Registration',
  requirement: 'oadrCancelPartyRegistration from the VEN is answered with oadrCanceledPartyRegistration 200 naming the registration; later payloads are refused with 463.',
  run: venCancels,
});
