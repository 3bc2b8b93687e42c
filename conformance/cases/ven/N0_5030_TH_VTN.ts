import { venCase } from './scenarios/common.js';
import { venCancels } from './scenarios/registration.js';

export default venCase({
  id: 'N0_5030_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Registration - Cancel Registration',
  requirement: 'Told to, the VEN cancels its registration with oadrCancelPartyRegistration naming it, and stops polling.',
  run: venCancels,
});
