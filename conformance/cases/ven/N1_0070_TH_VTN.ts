import { venCase } from './scenarios/common.js';
import { registrationNegative } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0070_TH_VTN', delivery: 'pull',
  title: 'VTN Registration - Negative Test Scenarios',
  requirement: 'A cancellation naming a registrationID that is not the VEN\'s is answered with 452; the valid cancellation is confirmed with 200.',
  run: registrationNegative,
});
