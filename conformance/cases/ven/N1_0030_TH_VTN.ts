import { venCase } from './scenarios/common.js';
import { venCancels } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0030_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN Registration - Cancel Registration',
  requirement: 'Told to, the VEN cancels its registration with oadrCancelPartyRegistration naming it, and stops polling.',
  run: venCancels,
});
