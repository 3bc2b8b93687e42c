import { vtnCase } from './scenarios/common.js';
import { queryRegistered } from './scenarios/registration.js';

export default vtnCase({
  id: 'N1_0015_TH_VEN', delivery: 'pull',
  title: 'VEN Registration - Query While Registered',
  requirement: 'A registered VEN\'s oadrQueryRegistration names its registrationID and venID.',
  run: queryRegistered,
});
