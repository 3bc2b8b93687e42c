import { venCase } from './scenarios/common.js';
import { query } from './scenarios/registration.js';

export default venCase({
  id: 'N0_5010_TH_VTN', delivery: 'push',
  title: 'VEN Registration - Query',
  requirement: 'Before registering, the VEN asks what the VTN offers with oadrQueryRegistration.',
  run: query,
});
