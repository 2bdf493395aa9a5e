package io.edgefn.deploy.internal;

/**
 * The JVM opcodes the scanner cares about, and the length of every instruction (JVMS §6.5).
 *
 * <p>Stateless.
 */
final class Opcodes {

    static final int LDC = 0x12;
    static final int LDC_W = 0x13;
    static final int LDC2_W = 0x14;
    static final int TABLESWITCH = 0xaa;
    static final int LOOKUPSWITCH = 0xab;
    static final int INVOKEVIRTUAL = 0xb6;
    static final int INVOKESPECIAL = 0xb7;
    static final int INVOKESTATIC = 0xb8;
    static final int INVOKEINTERFACE = 0xb9;
    static final int INVOKEDYNAMIC = 0xba;
    static final int WIDE = 0xc4;
    static final int LAST = 0xc9; // jsr_w; 0xca (breakpoint) and above never appear in class files

    /**
     * The length in bytes of each fixed-length instruction, indexed by opcode; 0 for the
     * variable-length ones (the switches and {@code wide}).
     */
    private static final int[] LENGTH = new int[LAST + 1];

    static {
        java.util.Arrays.fill(LENGTH, 1);
        set(2, 0x10, 0x12, 0xa9, 0xbc);             // bipush, ldc, ret, newarray
        range(2, 0x15, 0x19);                       // iload … aload
        range(2, 0x36, 0x3a);                       // istore … astore
        set(3, 0x11, 0x13, 0x14, 0x84);             // sipush, ldc_w, ldc2_w, iinc
        range(3, 0x99, 0xa8);                       // if<cond>, if_<cmp>, goto, jsr
        range(3, 0xb2, 0xb8);                       // get/put field/static, invokevirtual/special/static
        set(3, 0xbb, 0xbd, 0xc0, 0xc1, 0xc6, 0xc7); // new, anewarray, checkcast, instanceof, ifnull, ifnonnull
        set(4, 0xc5);                               // multianewarray
        set(5, 0xb9, 0xba, 0xc8, 0xc9);             // invokeinterface, invokedynamic, goto_w, jsr_w
        set(0, TABLESWITCH, LOOKUPSWITCH, WIDE);
    }

    private Opcodes() {}

    /** The length of the fixed-length instruction {@code opcode}; 0 for a variable one; -1 if invalid. */
    static int length(int opcode) {
        return opcode >= 0 && opcode <= LAST ? LENGTH[opcode] : -1;
    }

    /** The mnemonic of the opcodes that refer to methods, for messages. */
    static String name(int opcode) {
        return switch (opcode) {
            case LDC -> "ldc";
            case LDC_W -> "ldc_w";
            case LDC2_W -> "ldc2_w";
            case INVOKEVIRTUAL -> "invokevirtual";
            case INVOKESPECIAL -> "invokespecial";
            case INVOKESTATIC -> "invokestatic";
            case INVOKEINTERFACE -> "invokeinterface";
            case INVOKEDYNAMIC -> "invokedynamic";
            default -> "opcode 0x" + Integer.toHexString(opcode);
        };
    }

    private static void set(int length, int... opcodes) {
        for (int op : opcodes) {
            LENGTH[op] = length;
        }
    }

    private static void range(int length, int from, int to) {
        for (int op = from; op <= to; op++) {
            LENGTH[op] = length;
        }
    }
}
