import { venCase } from './scenarios/common.js';
import { queryWhileRegistered } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0015_TH_VTN', delivery: 'pull', control: true,
  title: 'VEN Registration - Query While Registered',
  requirement: 'A registered VEN, told to, queries its registration with oadrQueryRegistration.',
  run: queryWhileRegistered,
});
