import { vtnCase } from './scenarios/common.js';
import { newRegistrationWhileRegistered } from './scenarios/registration.js';

export default vtnCase({
  id: 'N0_5060_TH_VEN', delivery: 'push',
  title: 'VEN Registration - New Registration while Registered',
  requirement: 'A registered VEN that registers again without a registrationID is registered, and a query names the registration it was given.',
  run: newRegistrationWhileRegistered,
});
