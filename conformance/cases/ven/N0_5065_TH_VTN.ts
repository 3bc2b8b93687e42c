import { venCase } from './scenarios/common.js';
import { reregistration } from './scenarios/registration.js';

export default venCase({
  id: 'N0_5065_TH_VTN', delivery: 'push', control: true,
  title: 'VEN Registration - Re-Registration',
  requirement: 'Told to, a registered VEN re-registers under its registrationID.',
  run: reregistration,
});
