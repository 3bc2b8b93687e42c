import { venCase } from './scenarios/common.js';
import { reregistration } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0065_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN Registration - Re-Registration',
  requirement: 'Told to, a registered VEN re-registers under its registrationID.',
  run: reregistration,
});
