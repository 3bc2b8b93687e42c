import { vtnCase } from './scenarios/common.js';
import { queryRegistered } from './scenarios/registration.js';

export default vtnCase({
  id: 'N0_5015_TH_VEN', delivery: 'push',
  title: 'VEN Registration - Query While Registered',
  requirement: 'A registered VEN\'s oadrQueryRegistration names its registrationID and venID.',
  run: queryRegistered,
});
