package io.edgefn.deploy.internal;

/**
 * Walks the instructions of one method's code, handing each instruction that takes a constant
 * pool operand to a visitor.
 *
 * <p>Stateless.
 */
final class InstructionWalker {

    /** Sees one instruction with its constant pool operand (0 for instructions without one). */
    interface Visitor {
        void instruction(int offset, int opcode, int operand) throws ClassFormatException;
    }

    private InstructionWalker() {}

    /**
     * Walks {@code code} from its first instruction to its end.
     *
     * @param where the method's name and descriptor, for messages
     * @throws ClassFormatException for an invalid opcode or an instruction that runs past the end
     */
    static void walk(byte[] code, Visitor visitor, String where) throws ClassFormatException {
        int pc = 0;
        while (pc < code.length) {
            int opcode = code[pc] & 0xFF;
            int length = Opcodes.length(opcode);
            if (length < 0) {
                throw new ClassFormatException("invalid opcode 0x" + Integer.toHexString(opcode) + " at " + where + "+" + pc);
            }
            if (length == 0) {
                length = variableLength(code, pc, opcode, where);
            }
            if (pc + length > code.length) {
                throw new ClassFormatException("instruction at " + where + "+" + pc + " runs past the end of the code");
            }
            int operand = switch (opcode) {
                case Opcodes.LDC -> code[pc + 1] & 0xFF;
                case Opcodes.LDC_W, Opcodes.LDC2_W, Opcodes.INVOKEVIRTUAL, Opcodes.INVOKESPECIAL,
                        Opcodes.INVOKESTATIC, Opcodes.INVOKEINTERFACE, Opcodes.INVOKEDYNAMIC ->
                        ((code[pc + 1] & 0xFF) << 8) | (code[pc + 2] & 0xFF);
                default -> 0;
            };
            visitor.instruction(pc, opcode, operand);
            pc += length;
        }
    }

    private static int variableLength(byte[] code, int pc, int opcode, String where) throws ClassFormatException {
        if (opcode == Opcodes.WIDE) {
            if (pc + 1 >= code.length) {
                throw new ClassFormatException("wide at " + where + "+" + pc + " runs past the end of the code");
            }
            return (code[pc + 1] & 0xFF) == 0x84 ? 6 : 4; // wide iinc has a 16-bit constant too
        }
        int operands = (pc + 4) & ~3; // switch operands start at the next multiple of four
        if (opcode == Opcodes.TABLESWITCH) {
            long low = int32(code, operands + 4, where, pc);
            long high = int32(code, operands + 8, where, pc);
            long length = operands + 12 + (high - low + 1) * 4 - pc;
            return checked(length, high < low, where, pc);
        }
        long pairs = int32(code, operands + 4, where, pc);
        return checked(operands + 8 + pairs * 8 - pc, pairs < 0, where, pc);
    }

    private static int checked(long length, boolean invalid, String where, int pc) throws ClassFormatException {
        if (invalid || length > Integer.MAX_VALUE) {
            throw new ClassFormatException("malformed switch at " + where + "+" + pc);
        }
        return (int) length;
    }

    private static long int32(byte[] code, int at, String where, int pc) throws ClassFormatException {
        if (at + 4 > code.length) {
            throw new ClassFormatException("switch at " + where + "+" + pc + " runs past the end of the code");
        }
        return ((code[at] & 0xFF) << 24) | ((code[at + 1] & 0xFF) << 16) | ((code[at + 2] & 0xFF) << 8)
                | (code[at + 3] & 0xFF);
    }
}
