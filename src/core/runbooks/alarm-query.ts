import type { AlarmInfo } from '../ports.js';

/** Namespace → words an engineer (and a runbook) would use for the service. */
const SERVICE_WORDS: Record<string, string> = {
  'AWS/ApplicationELB': 'ALB application load balancer',
  'AWS/ELB': 'ELB classic load balancer',
  'AWS/NetworkELB': 'NLB network load balancer',
  'AWS/RDS': 'RDS database',
  'AWS/ECS': 'ECS service tasks',
  'ECS/ContainerInsights': 'ECS service tasks container',
  'AWS/Lambda': 'Lambda function',
  'AWS/ApiGateway': 'API Gateway',
  'AWS/SQS': 'SQS queue',
  'AWS/EC2': 'EC2 instance',
  'AWS/EBS': 'EBS volume disk',
  'AWS/AmazonMQ': 'RabbitMQ broker queue',
  'ContainerInsights': 'Kubernetes EKS node pod',
  'CWAgent': 'host disk memory',
};

/** Builds a search query from a CloudWatch alarm: name words, description, metric, service and state reason. */
export function alarmQuery(a: AlarmInfo): string {
  const parts = [
    a.name.replace(/[-_.:/]+/g, ' '),
    a.description ?? '',
    a.metricName ?? '',
    a.namespace ? (SERVICE_WORDS[a.namespace] ?? a.namespace.replace(/^AWS\//, '')) : '',
    a.dimensions.map((d) => d.name).join(' '),
    // The state reason repeats the metric and threshold in words ("Threshold Crossed: 1 datapoint [57.0] was greater than…").
    (a.stateReason ?? '').replace(/\[[^\]]*\]|\([^)]*\)|\d+(\.\d+)?/g, ' '),
  ];
  return parts.join(' ').replace(/\s+/g, ' ').trim();
}
