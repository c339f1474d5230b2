/** The ledger as an Aeron {@code ClusteredService}: replicated by Raft, applied by the same code as a single node. */
package dev.prepaid.cluster;
