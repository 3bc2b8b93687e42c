import { venCase } from './scenarios/common.js';
import { bootstrap } from './scenarios/registration.js';

export default venCase({
  id: 'N1_0020_TH_VTN', delivery: 'pull',
  title: 'VEN Registration - Bootstrap Sequence',
  requirement: 'The VEN registers for 2.0b over simpleHttp (httpPullModel and oadrTransportAddress as it runs), registers its METADATA reports (reportRequestID 0) under the assigned venID, and answers the VTN\'s METADATA with oadrRegisteredReport 200.',
  run: bootstrap,
});
