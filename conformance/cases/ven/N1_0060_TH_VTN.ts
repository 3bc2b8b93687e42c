import { venCase } from './scenarios/common.js';
import { newRegistration } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0060_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN Registration - New Registration while Registered',
  requirement: 'Told to, a registered VEN registers anew, without a registrationID.',
  run: newRegistration,
});
