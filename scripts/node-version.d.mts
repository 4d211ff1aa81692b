export type NodeTask = 'app' | 'packaging';
export declare const NODE_REQUIREMENTS: Record<NodeTask, { version: string; what: string }>;
export declare function atLeast(actual: string, wanted: string): boolean;
export declare function nodeProblem(task: NodeTask, actual?: string): string | null;
export declare function requireNode(task: NodeTask): void;
