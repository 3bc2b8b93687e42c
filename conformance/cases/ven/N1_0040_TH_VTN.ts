import { venCase } from './scenarios/common.js';
import { vtnCancels } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0040_TH_VTN', delivery: 'pull',
  title: 'VTN Registration - Cancel Registration',
  requirement: 'The VTN cancels the registration: the VEN answers oadrCanceledPartyRegistration 200 naming it and stops polling.',
  run: vtnCancels,
});
